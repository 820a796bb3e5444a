"""The kiosk's Qt widgets: the only place Qt is used (see the README's code layout)."""
