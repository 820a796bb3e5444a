"""Reusable widgets: item widgets, date and choice pickers, the signature pad."""
