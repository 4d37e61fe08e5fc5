"""The app's screens: a log, a list of logs, and the modal dialogs."""
