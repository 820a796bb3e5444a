"""Clear words, not tracebacks or Qt's plugin list, when the kiosk cannot do what it was
asked (issue 12.11)."""

import pytest

from kiosk.command_line import display_problem, main


def test_a_backup_to_a_folder_that_cannot_be_made_says_so(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code = main(["--data-dir", str(tmp_path / "data"), "--backup",
                 str(blocker / "backup.db")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("Backup not made: ")
    assert "Traceback" not in err


def test_without_a_display_the_kiosk_says_what_to_set(tmp_path, capsys, monkeypatch):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    code = main(["--data-dir", str(tmp_path / "data")])
    err = capsys.readouterr().err
    assert code == 2
    assert "no display: set DISPLAY" in err and "QT_QPA_PLATFORM=offscreen" in err


@pytest.mark.parametrize(("environ", "shows"), [
    ({}, False),
    ({"DISPLAY": ":0"}, True),
    ({"WAYLAND_DISPLAY": "wayland-0"}, True),
    ({"QT_QPA_PLATFORM": "offscreen"}, True),
    ({"QT_QPA_PLATFORM": "xcb"}, False),
    ({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "wayland-0"}, False),
    ({"QT_QPA_PLATFORM": "wayland"}, False),
    ({"QT_QPA_PLATFORM": "wayland", "WAYLAND_DISPLAY": "wayland-1"}, True),
])
def test_which_settings_give_a_display(environ, shows):
    assert (display_problem(environ, "linux") is None) is shows
    assert display_problem(environ, "win32") is None
