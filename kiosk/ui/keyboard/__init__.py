"""On-screen keyboards: the kiosk's own, Qt Virtual Keyboard, the dock."""
