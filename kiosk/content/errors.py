"""Content files that cannot be used raise :class:`~kiosk.errors.ContentError` (kept
importable from here, where the content loaders use it)."""

from kiosk.errors import ContentError

__all__ = ["ContentError"]
