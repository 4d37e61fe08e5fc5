"""Benchmarks for `inspector`: deterministic inputs, medians, ratios against a baseline."""
