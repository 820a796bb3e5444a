"""Attachments: a file where files are allowed (the form runner), a note on the tablet."""

from __future__ import annotations

from kiosk.questionnaire import Attachment
from kiosk.ui.touch import button, label
from kiosk.ui.widgets.items.base import QuestionWidget


class AttachmentWidget(QuestionWidget):
    """A photo or file from disk where files are allowed (the form runner); on the patient
    tablet, a plain note that files cannot be added there."""

    allow_files = False

    def build_control(self) -> None:
        if not self.allow_files:
            self.layout_.addWidget(label(self.t("attachment_unavailable"), "Notice"))
            return
        self.choose = button(self.t("choose_file"))
        self.choose.clicked.connect(self.on_choose)
        self.status = label("", "Muted")
        self.layout_.addWidget(self.choose)
        self.layout_.addWidget(self.status)

    def on_choose(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(
            self, self.t("choose_file"), "", options=QFileDialog.Option.DontUseNativeDialog)
        if path:
            self.attach_file(path)

    def attach_file(self, path: str) -> bool:
        """Read ``path`` into the answer; says what is wrong when it cannot."""
        import base64
        import mimetypes
        from pathlib import Path as FilePath

        file = FilePath(path)
        content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        allowed = self.item.mime_types
        if allowed and not any(content_type == a or (a.endswith("/*") and
                               content_type.startswith(a[:-1])) for a in allowed):
            self.show_error(self.t("file_wrong_type", types=", ".join(allowed)))
            return False
        try:
            data = file.read_bytes()
        except OSError:
            self.show_error(self.t("file_unreadable"))
            return False
        if self.item.max_size is not None and len(data) > self.item.max_size:
            self.show_error(self.t("file_too_large", limit=_size(self.item.max_size)))
            return False
        attachment = Attachment(content_type, base64.b64encode(data).decode("ascii"), file.name,
                                len(data))
        self.commit([attachment])
        return True

    def sync(self) -> None:
        if not self.allow_files:
            return
        current = self.current()
        if current and isinstance(current[0], Attachment):
            self.status.setText(self.t("file_attached", name=current[0].title,
                                       size=_size(current[0].size)))
        else:
            self.status.setText("")


def _size(count: int) -> str:
    return f"{count / 1_000_000:.1f} MB" if count >= 1_000_000 else f"{max(1, count // 1000)} kB"


class _FileAttachmentWidget(AttachmentWidget):
    allow_files = True
