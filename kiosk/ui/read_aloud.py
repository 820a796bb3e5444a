"""Read aloud: a screen's words spoken with Qt TextToSpeech.

The speech engine starts on the first tap of a speaker button, not at kiosk start: the
system engine (speech-dispatcher on Linux) can take a second to answer. Tests use Qt's
``mock`` engine. No engine, or no voice for the patient's language, disables the button
with a note. What is spoken never goes to the log (it can hold the patient's answers).
"""

from __future__ import annotations

import logging
import os

from PySide6.QtCore import QLocale, QLoggingCategory, QObject, Signal

log = logging.getLogger(__name__)

ENGINE_ENV = "KIOSK_SPEECH_ENGINE"  # an engine name ("mock", "speechd"), or "off"


class ReadAloud(QObject):
    speaking_changed = Signal(bool)

    def __init__(self, engine: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engine_name = engine if engine is not None else os.environ.get(ENGINE_ENV, "")
        self._tts = None
        #: False when the clinic turned reading aloud off: no button at all
        self.offered = self.engine_name != "off"
        self._problem: str | None = None if self.offered else "read_aloud_unavailable"
        self.spoken: list[str] = []  # what was said this session (tests and the mock engine)

    def _engine(self):
        if self._tts is None and self._problem is None:
            # Qt Multimedia looks for PipeWire and warns when it is absent; speech does
            # not need it.
            QLoggingCategory.setFilterRules("qt.multimedia.symbolsresolver.warning=false")
            try:
                from PySide6.QtTextToSpeech import QTextToSpeech
            except ImportError as exc:  # Qt's add-ons (or libpulse) missing on this machine
                log.warning("text to speech unavailable: %s", type(exc).__name__)
                self._problem = "read_aloud_unavailable"
                return None
            engines = QTextToSpeech.availableEngines()
            name = self.engine_name or ""
            if name and name not in engines:
                log.warning("speech engine %r not found (have %s)", name, engines)
                self._problem = "read_aloud_unavailable"
                return None
            self._tts = QTextToSpeech(name, self) if name else QTextToSpeech(self)
            if self._tts.state() == QTextToSpeech.State.Error:
                log.warning("speech engine failed to start: %s", self._tts.errorString())
                self._problem = "read_aloud_unavailable"
                self._tts = None
                return None
            self._tts.stateChanged.connect(self._on_state)
        return self._tts

    def problem(self, language: str) -> str | None:
        """Why reading aloud cannot be offered in ``language`` (a string key), or None."""
        tts = self._engine()
        if tts is None:
            return self._problem
        wanted = QLocale(language).language()
        if not any(locale.language() == wanted for locale in tts.availableLocales()):
            return "read_aloud_no_voice"
        return None

    def speak(self, text: str, language: str) -> str | None:
        """Start reading ``text``; returns a problem key instead when it cannot."""
        problem = self.problem(language)
        if problem is not None:
            return problem
        tts = self._tts
        wanted = QLocale(language).language()
        locale = next(l for l in tts.availableLocales() if l.language() == wanted)  # noqa: E741
        if tts.locale() != locale:
            tts.setLocale(locale)
        tts.stop()
        self.spoken.append(text)
        tts.say(text)
        return None

    def stop(self) -> None:
        if self._tts is not None:
            self._tts.stop()

    def is_speaking(self) -> bool:
        if self._tts is None:
            return False
        from PySide6.QtTextToSpeech import QTextToSpeech

        return self._tts.state() == QTextToSpeech.State.Speaking

    def _on_state(self, _state) -> None:
        self.speaking_changed.emit(self.is_speaking())

    def forget(self) -> None:
        """A patient's end: stop, and keep nothing of what was read."""
        self.stop()
        self.spoken.clear()
