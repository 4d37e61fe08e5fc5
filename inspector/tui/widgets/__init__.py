"""The app's widgets: the panes of a log and the reusable views they are built from."""
