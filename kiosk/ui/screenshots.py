"""Render every screen at 1280x800 and 800x1280 into PNG files, to look at them.

``python -m kiosk.ui.screenshots OUT_DIR`` (or ``make screenshots``), offscreen is fine.
Uses a throw-away data directory and the demo patient; nothing is kept.

With ``KIOSK_SCREENSHOTS_WINDOW=real`` (``make screenshots-real``, which starts Xvfb: see
``scripts/screenshots_real_window.sh``) each window is a real X window with Qt Virtual
Keyboard, and the picture is taken from the X screen, so the keyboard's own window (which
``QWidget.grab`` never sees) is in it.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import QApplication, QLineEdit

from kiosk.config import KioskConfig
from kiosk.content.library import ContentLibrary, load_content
from kiosk.demo.answers import fill_demo_session
from kiosk.demo.synthetic import fill_demo_intakes
from kiosk.intake.draft import encode
from kiosk.intake.records import Step, StepKind
from kiosk.intake.session import IntakeSession
from kiosk.staff.access import COMMAND_LINE
from kiosk.ui.app import build_window
from kiosk.ui.keyboard.qt_keyboard import use_qt_keyboard
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.theme import apply_theme

SIZES = {"landscape": (1280, 800), "portrait": (800, 1280)}
REAL_WINDOW = os.environ.get("KIOSK_SCREENSHOTS_WINDOW") == "real"
if REAL_WINDOW:  # Qt Virtual Keyboard docks at the bottom of the X screen: one Xvfb the
    # window's size per orientation (the script passes which)
    _ONLY = os.environ.get("KIOSK_SCREENSHOTS_ORIENTATION", "")
    SIZES = {name: size for name, size in SIZES.items() if not _ONLY or name == _ONLY}
KEYBOARD_WAIT_S = 5.0  # Qt Virtual Keyboard's first start loads its QML
#: (language, text size, high contrast): both languages, default and largest text, and
#: the high-contrast theme at both sizes
VARIANTS = (("en", 1.0, False), ("es", 1.0, False), ("en", 1.5, False), ("es", 1.5, False),
            ("en", 1.0, True), ("es", 1.5, True))


def _settle(app: QApplication) -> None:
    for _ in range(3):
        app.processEvents()


def _settle_real(app: QApplication, window: KioskWindow) -> None:
    """A real window: let the X server draw it, and wait for Qt Virtual Keyboard when a
    text field has asked for it."""
    wanted = window.flow is not None and isinstance(QApplication.focusWidget(), QLineEdit)
    deadline = time.monotonic() + (KEYBOARD_WAIT_S if wanted else 0.3)
    while time.monotonic() < deadline:
        app.processEvents()
        if wanted and QGuiApplication.inputMethod().isVisible():
            wanted = False
            _raise_keyboard()
            deadline = time.monotonic() + 0.5  # its slide-in animation
        time.sleep(0.02)


def _raise_keyboard() -> None:
    """Qt Virtual Keyboard's window above the kiosk's: it is made once per process, and
    with no window manager each later scene's window is mapped on top of it (only the
    first keyboard scene showed the keyboard; the others an empty space for it)."""
    for shown in QGuiApplication.topLevelWindows():
        if shown.metaObject().className().startswith("QtVirtualKeyboard::"):
            shown.raise_()


def _picture(window: KioskWindow) -> QPixmap:
    if not REAL_WINDOW:
        return window.grab()
    box = window.geometry()
    return window.screen().grabWindow(0, box.x(), box.y(), box.width(), box.height())


def dispose_window(window: KioskWindow) -> None:
    """Destroy a scene's window and everything it started, at once.

    ``deleteLater`` alone is not enough here: outside ``app.exec()`` (this script never
    enters it) ``processEvents`` does not run deferred deletions, so every window, its
    thousands of widgets, its idle filter on the application and its writer thread stayed
    alive, and each later picture (every stylesheet change re-polishes every live widget)
    was slower than the one before: 2 s a picture at the start, 45 s near the end."""
    if window.flow is not None:
        # not end_patient(): it resets the look, and every change of stylesheet
        # re-polishes every widget still alive
        window.flow.dispose()
    window.close()
    window.shut_down()  # the writer thread stops, storage closes
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _flow_at(window: KioskWindow, step: Step, answered: bool = True) -> None:
    if window.flow is None:
        window.start_patient(window.welcome.language)
    assert window.flow is not None
    if answered:
        fill_demo_session(window.flow.session)
    window.flow.session.current = step
    window.flow.show_step()


Scene = tuple[str, Callable[[KioskWindow], None]]


def _checkin_errors(window: KioskWindow) -> None:
    window.start_patient(window.welcome.language)
    assert window.flow is not None
    window.flow.on_next_tapped()


def _checkin_keyboard(window: KioskWindow) -> None:
    window.start_patient(window.welcome.language)
    assert window.flow is not None
    window.flow.screen.first_name.setText("Maria")
    window.flow.screen.first_name.setFocus()


def _date_panel(which: str) -> Callable[[KioskWindow], None]:
    def show(window: KioskWindow) -> None:
        _flow_at(window, Step(StepKind.CHECK_IN))
        getattr(window.flow.screen.birth, which).open_panel()

    return show


def _required_error(window: KioskWindow) -> None:
    _flow_at(window, Step(StepKind.QUESTIONS, link_id="bleeding"), answered=False)
    window.flow.session.choose_procedure("nerve-block")
    window.flow.on_next_tapped()


def _teach_back(answer: str | None) -> Callable[[KioskWindow], None]:
    """The first understanding check: unanswered, or after a tap on ``answer``."""
    def show(window: KioskWindow) -> None:
        _flow_at(window, Step(StepKind.CHECK_IN), answered=False)
        session = window.flow.session
        session.choose_procedure("epidural-steroid-injection")
        session.current = Step(StepKind.TEACH_BACK, page=0)
        window.flow.show_step()
        if answer is not None:
            check = session.checks()[0]
            option = check.correct if answer == "right" else next(
                o.id for o in check.options if o.id != check.correct)
            window.flow.screen.buttons[option].click()
    return show


def _idle(window: KioskWindow) -> None:
    _flow_at(window, Step(StepKind.QUESTIONS, link_id="pain-now"))
    window.on_idle_warning(30)


def _start_over(window: KioskWindow) -> None:
    _flow_at(window, Step(StepKind.LEARN, page=3))
    window.flow.on_start_over_tapped()


def _storage_error(window: KioskWindow) -> None:
    _flow_at(window, Step(StepKind.CONFIRM))
    window.flow._show_storage_error()


def _staff_queue(window: KioskWindow) -> None:
    window.store.staff.create("RN Kim", "admin", "482913", COMMAND_LINE, dt.datetime.now())
    fill_demo_intakes(window.store, window.content, 60, now=dt.datetime(2026, 11, 24, 12))
    session = IntakeSession(window.content)  # the newest: the demo patient
    fill_demo_session(session)
    session.confirm(True)
    window.store.submit(session.build_submission())
    window.open_staff()
    assert window.staff is not None
    signed_in = window.store.staff.sign_in("RN Kim", "482913", dt.datetime.now())
    assert signed_in.actor is not None
    window.staff.on_signed_in(signed_in.actor)


def _staff_detail(window: KioskWindow) -> None:
    _staff_queue(window)
    assert window.staff is not None
    window.staff.open_intake(61)


def _staff_admin(window: KioskWindow) -> None:
    _staff_queue(window)
    window.staff.open_admin()


def _staff_interrupted(window: KioskWindow) -> None:
    session = IntakeSession(window.content)
    fill_demo_session(session, "Omar", "Haddad")
    window.store.save_draft(session.uid, session.started_at, encode(session))
    _staff_queue(window)
    window.staff.open_interrupted()


def _staff_audit(window: KioskWindow) -> None:
    _staff_queue(window)
    window.staff.open_audit()


def _at(step: Step) -> Callable[[KioskWindow], None]:
    return lambda window: _flow_at(window, step)


def scene_list(content: ContentLibrary) -> list[Scene]:
    """Every screen and state worth looking at, in the order a patient meets them."""
    pages = content.procedure("epidural-steroid-injection").text("en").pages
    scenes: list[Scene] = [
        ("01-welcome", lambda window: None),
        ("02-checkin-errors", _checkin_errors),
        ("03-checkin-keyboard", _checkin_keyboard),
        ("04-checkin-filled", _at(Step(StepKind.CHECK_IN))),
        ("05-date-day-panel", _date_panel("day")),
        ("06-date-year-panel", _date_panel("year")),
    ]
    scenes += [(f"07-learn-{n + 1}", _at(Step(StepKind.LEARN, page=n))) for n in range(len(pages))]
    scenes += [("07-teach-back", _teach_back(None)),
               ("07-teach-back-missed", _teach_back("wrong")),
               ("07-teach-back-right", _teach_back("right"))]
    scenes += [(f"08-question-{item.link_id}", _at(Step(StepKind.QUESTIONS, link_id=item.link_id)))
               for item in content.questionnaire.items]
    scenes += [
        ("09-required-error", _required_error),
        ("10-review", _at(Step(StepKind.REVIEW))),
        ("11-confirm", _at(Step(StepKind.CONFIRM))),
        ("12-thanks", _at(Step(StepKind.DONE))),
        ("13-idle-warning", _idle),
        ("14-start-over", _start_over),
        ("15-storage-error", _storage_error),
        ("16-staff-set-pin", lambda window: window.open_staff()),
        ("17-staff-queue", _staff_queue),
        ("18-staff-detail", _staff_detail),
        ("19-staff-admin", _staff_admin),
        ("20-staff-interrupted", _staff_interrupted),
        ("21-staff-audit", _staff_audit),
    ]
    return scenes


def variant_suffix(language: str, text_size: float, high_contrast: bool) -> str:
    return (f"{language}{'-large' if text_size > 1 else ''}"
            f"{'-contrast' if high_contrast else ''}")


def render_scene(app: QApplication, content: ContentLibrary, show: Callable[[KioskWindow], None],
                 variant: tuple[str, float, bool], size: tuple[int, int], path: Path) -> None:
    """One picture: a fresh window and data directory, set up as the patient would, shown
    in ``show``'s state, pictured into ``path`` and destroyed (nothing of it stays alive)."""
    language, text_size, high_contrast = variant
    width, height = size
    with tempfile.TemporaryDirectory() as data:
        config = KioskConfig(data_dir=Path(data), width=width, height=height,
                             keyboard="qt" if REAL_WINDOW else "auto")
        window = build_window(config, content)
        window.welcome.set_language(language)
        if high_contrast:  # as the patient would: the toggle on Welcome
            window.welcome.contrast.setChecked(True)
        apply_theme(app, text_size, high_contrast)  # again: an end resets it
        window.show()
        if REAL_WINDOW:
            window.move(0, 0)  # no window manager: where the grab looks
            window.activateWindow()
        _settle(app)
        show(window)
        _settle(app)
        if REAL_WINDOW:
            _settle_real(app, window)
        if (window.width(), window.height()) != (width, height):
            print(f"warning: {path.stem} needs {window.width()}x{window.height()}, more "
                  f"than {width}x{height}", file=sys.stderr)
        path.parent.mkdir(parents=True, exist_ok=True)
        _picture(window).save(str(path))
        dispose_window(window)


def render_all(out_dir: Path, only: str = "", variants=VARIANTS) -> list[Path]:
    """Render each scene in a fresh window and data directory; warn if a screen overflows."""
    if REAL_WINDOW and QApplication.instance() is None:
        use_qt_keyboard()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    content = load_content()
    written = []
    for variant in variants:
        language, text_size, high_contrast = variant
        apply_theme(app, text_size, high_contrast)
        suffix = variant_suffix(*variant)
        for orientation, size in SIZES.items():
            for name, show in scene_list(content):
                if only and not name.startswith(only):
                    continue
                staff_scene = name.startswith(("16-", "17-", "18-", "19-", "20-", "21-"))
                if staff_scene and (language != "en" or text_size > 1 or high_contrast):
                    continue  # staff screens: English, and the patient's text size is reset
                path = out_dir / f"{name}-{orientation}-{suffix}.png"
                render_scene(app, content, show, variant, size, path)
                written.append(path)
                print(path, flush=True)
    apply_theme(app)
    return written


def main(argv: list[str]) -> int:
    """``python -m kiosk.ui.screenshots [OUT_DIR [SCENE_PREFIX]]``: every picture in one
    process (each window is destroyed before the next, see :func:`dispose_window`)."""
    target = Path(argv[1] if len(argv) > 1 else "screenshots")
    only = argv[2] if len(argv) > 2 else ""
    started, cpu = time.monotonic(), time.process_time()
    written = render_all(target, only)
    print(f"{len(written)} pictures in {time.monotonic() - started:.0f} s "
          f"({time.process_time() - cpu:.0f} s CPU)", file=sys.stderr, flush=True)
    if REAL_WINDOW:
        # Qt Virtual Keyboard's window outlives the QApplication at interpreter exit
        # and aborts there ("Must construct a QGuiApplication before a QPixmap"):
        # every picture is written, so leave without the teardown.
        sys.stdout.flush()
        os._exit(0)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
