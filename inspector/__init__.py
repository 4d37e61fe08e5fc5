"""inspector: a terminal app for looking inside Humanloop LLM logs."""

__version__ = "0.1.0"
