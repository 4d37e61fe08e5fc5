"""The panes of a log, one module each, with the content each one shows beside it."""
