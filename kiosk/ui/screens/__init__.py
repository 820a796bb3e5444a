"""The patient's screens, one module each; each can be previewed alone (``python -m``)."""
