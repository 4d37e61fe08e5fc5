"""The speed suite: `python -m benchmarks [--quick]`; see BENCHMARKS.md."""
