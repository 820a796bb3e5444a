"""Intake Kiosk's command line (``intake-kiosk``, or ``python main.py`` in a checkout): parse
it and start the kiosk, or set a staff PIN, make a backup, change the key."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import logging
import os
import sqlite3
import sys
from collections.abc import Mapping
from pathlib import Path

from kiosk.config import KioskConfig, default_data_dir
from kiosk.content.errors import ContentError


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Intake Kiosk for an interventional pain clinic")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="where the database, exports and log live "
                             "(default: the user data directory, or $KIOSK_DATA_DIR)")
    parser.add_argument("--kiosk", action="store_true", help="full screen, for the tablet")
    parser.add_argument("--idle-seconds", type=int, default=None,
                        help="seconds without a touch before 'Are you still there?' "
                             "(default: content/clinic.json, 120)")
    parser.add_argument("--warning-seconds", type=int, default=None,
                        help="seconds the 'Are you still there?' question waits (default 30)")
    parser.add_argument("--size", default="1280x800",
                        help="window size WIDTHxHEIGHT when not full screen (default 1280x800)")
    parser.add_argument("--database-url", metavar="URL",
                        default=os.environ.get("KIOSK_DATABASE_URL"),
                        help="sqlite:///FILE (default DATA_DIR/kiosk.db) or "
                             "postgresql://USER@HOST:PORT/DB for a database shared by "
                             "several kiosks; better $KIOSK_DATABASE_URL, which ps does not "
                             "show (a password here can be read by every local user)")
    parser.add_argument("--database-password-file", type=Path, metavar="FILE",
                        help="the PostgreSQL password, alone in FILE (mode 600), so that it "
                             "is not on the command line")
    parser.add_argument("--ehr-settings", type=Path, metavar="FILE",
                        default=os.environ.get("KIOSK_EHR_SETTINGS") or None,
                        help="JSON settings for the clinic's EHR (FHIR server, token) and "
                             "today's appointments; also $KIOSK_EHR_SETTINGS (README: "
                             "'Connecting the kiosk to the clinic')")
    parser.add_argument("--value-sets", type=Path, metavar="DIR",
                        default=os.environ.get("KIOSK_VALUE_SETS") or None,
                        help="the clinic's ValueSet/CodeSystem JSON files and FHIR packages "
                             "(.tgz) that answerValueSet is resolved from, besides FHIR's core "
                             "value sets; also $KIOSK_VALUE_SETS")
    parser.add_argument("--speech-engine", metavar="NAME", default=None,
                        help="read-aloud engine: speechd (Linux default), mock, or off")
    parser.add_argument("--keyboard", choices=("auto", "qt", "kiosk"), default="auto",
                        help="on-screen keyboard: Qt Virtual Keyboard (qt; auto picks it on a "
                             "real display) or the kiosk's own (kiosk)")
    parser.add_argument("--staff", action="store_true",
                        help="staff mode only (the front-desk PC): no patient screens")
    parser.add_argument("--key-file", type=Path, metavar="FILE",
                        help="encrypt the database with the passphrase in FILE (mode 600); "
                             "$KIOSK_DB_KEY takes precedence. Without a key: demo mode")
    parser.add_argument("--rekey", action="store_true",
                        help="re-encrypt the database with the new key in $KIOSK_NEW_DB_KEY "
                             "(or --new-key-file) and exit")
    parser.add_argument("--new-key-file", type=Path, metavar="FILE",
                        help="the new key for --rekey")
    parser.add_argument("--backup", type=Path, metavar="FILE",
                        help="write a consistent copy of the database to FILE and exit "
                             "(safe while the kiosk runs)")
    parser.add_argument("--add-staff", metavar="NAME",
                        help="create a staff account (or give it a new PIN and role) and exit;"
                             " the PIN is asked on the terminal, or read from stdin")
    parser.add_argument("--setup-code", action="store_true",
                        help="print a one-time code (valid 1 hour) that lets the sign-in "
                             "screen create the first administrator on a kiosk that already "
                             "holds intakes, and exit")
    parser.add_argument("--check-start", action="store_true",
                        help="start the kiosk, exit 0 as soon as its first screen is shown "
                             "(checks an installation; with QT_QPA_PLATFORM=offscreen no "
                             "display is needed)")
    parser.add_argument("--role", choices=("admin", "front_desk"), default="admin",
                        help="role for --add-staff (default admin)")
    return parser.parse_args(argv)


def add_staff(config: KioskConfig, name: str, role: str) -> int:
    from kiosk.staff.access import COMMAND_LINE
    from kiosk.staff.pin import PinRejected, check_new_pin
    from kiosk.storage import StorageError, Store

    if sys.stdin.isatty():
        pin = getpass.getpass("New staff PIN (4-12 digits): ")
        if getpass.getpass("Repeat the PIN: ") != pin:
            print("The two PINs are not the same; nothing changed.", file=sys.stderr)
            return 1
    else:
        pin = sys.stdin.readline().strip()
    try:
        check_new_pin(pin)
    except PinRejected as exc:
        print(f"{exc} Nothing changed.", file=sys.stderr)
        return 1
    try:
        store = Store(**config.store_arguments())
    except StorageError as exc:
        print(f"{exc}. Nothing changed.", file=sys.stderr)
        return 2
    store.staff.create(name, role, pin, COMMAND_LINE, dt.datetime.now())
    store.close()
    print(f"Staff account {name!r} ({role}) saved in {config.database_path}.")
    return 0


def setup_code(config: KioskConfig) -> int:
    from kiosk.staff.access import COMMAND_LINE
    from kiosk.storage import StorageError, Store

    try:
        store = Store(**config.store_arguments())
        if store.staff.any():
            print("A staff account exists: sign in with it (or use --add-staff).",
                  file=sys.stderr)
            store.close()
            return 1
        code = store.staff.issue_setup_code(COMMAND_LINE, dt.datetime.now())
        store.close()
    except StorageError as exc:
        print(f"No setup code made: {exc}", file=sys.stderr)
        return 2
    print(f"Setup code (valid for one hour, once): {code}")
    return 0


def rekey(config: KioskConfig, new_key: str | None) -> int:
    import datetime as dt

    from kiosk.storage import StorageError, Store

    if new_key is None:
        print("Key not changed: give the new key in $KIOSK_NEW_DB_KEY or --new-key-file.",
              file=sys.stderr)
        return 2
    try:
        store = Store(**config.store_arguments())
        store.rekey(new_key)
        store.audit("command line", "rekey", dt.datetime.now())
        store.close()
    except StorageError as exc:
        print(f"Key not changed: {exc}", file=sys.stderr)
        return 2
    print("The database now opens with the new key. Update KIOSK_DB_KEY or the key file.")
    return 0


def prepare_file_folders(config: KioskConfig) -> None:
    """Exports and backups: the folders 0700 and their files 0600 (whatever an older
    kiosk or the umask left), and what a killed export or backup left behind removed."""
    from kiosk.private_files import prepare_private_folder

    for folder in (config.exports_dir, config.backups_dir):
        try:
            removed = prepare_private_folder(folder)
        except OSError as exc:
            logging.getLogger(__name__).warning("could not prepare %s: %s", folder.name,
                                                exc.strerror or type(exc).__name__)
            continue
        if removed:
            logging.getLogger(__name__).info("removed %d unfinished files from %s",
                                             removed, folder.name)


def unwritable_because(destination: Path) -> str | None:
    """Why a new file cannot be made at ``destination``, or None when it looks possible
    (the nearest folder that exists must be a folder this user may write in)."""
    for folder in Path(destination).absolute().parents:
        if folder.exists():
            if not folder.is_dir():
                return f"{folder} is a file, not a folder"
            if not os.access(folder, os.W_OK | os.X_OK):
                return f"no permission to write in {folder}"
            return None
    return None


def backup(config: KioskConfig, destination: Path) -> int:
    import datetime as dt

    from kiosk.staff.access import COMMAND_LINE
    from kiosk.storage import StorageError, Store

    try:
        store = Store(**config.store_arguments())
    except StorageError as exc:
        print(f"Backup not made: {exc}", file=sys.stderr)
        return 2
    problem = unwritable_because(destination)
    if problem:
        store.close()
        print(f"Backup not made: cannot write {destination}: {problem}", file=sys.stderr)
        return 2
    try:
        written = store.backup(destination, COMMAND_LINE)
        store.audit("command line", "backup", dt.datetime.now(), detail=str(written))
    except StorageError as exc:
        where = "" if str(destination) in str(exc) else f"cannot write {destination}: "
        print(f"Backup not made: {where}{exc}", file=sys.stderr)
        return 2
    except (OSError, sqlite3.Error) as exc:  # a bad path, no permission, a full disk
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        if reason == "unable to open database file":  # SQLite's words for EACCES/EROFS
            reason = "the file cannot be created there (no permission, or read-only)"
        print(f"Backup not made: cannot write {destination}: {reason}", file=sys.stderr)
        return 2
    finally:
        store.close()
    print(f"Backup written to {written}.")
    return 0


# Qt platforms that draw without a display server (a smoke test, a framebuffer, VNC).
_NO_DISPLAY_NEEDED = ("offscreen", "minimal", "linuxfb", "eglfs", "vnc", "vkkhrdisplay")


def display_problem(environ: Mapping[str, str], platform: str = sys.platform) -> str | None:
    """Why the kiosk's window cannot show here, or None. Qt's own message for a missing
    display ("could not load the Qt platform plugin xcb", a list of plugins) sends people
    looking for missing libraries (issue 12.11)."""
    if not platform.startswith("linux"):
        return None
    qpa = environ.get("QT_QPA_PLATFORM", "").split(":")[0]
    if qpa.startswith(_NO_DISPLAY_NEEDED):
        return None
    if qpa.startswith("wayland"):
        return None if environ.get("WAYLAND_DISPLAY") else (
            "no Wayland display: QT_QPA_PLATFORM is wayland but WAYLAND_DISPLAY is not set")
    if environ.get("DISPLAY") or (not qpa and environ.get("WAYLAND_DISPLAY")):
        return None
    return ("no display: set DISPLAY (an X server) or WAYLAND_DISPLAY, "
            "or QT_QPA_PLATFORM=offscreen for a smoke test")


def main(argv: list[str] | None = None, on_window=None) -> int:
    """``on_window``: a test hook given the kiosk's window (never set by the installed kiosk)."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        width, height = (int(n) for n in args.size.lower().split("x"))
    except ValueError:
        print(f"--size must look like 1280x800, not {args.size!r}", file=sys.stderr)
        return 2
    for option, value in (("--idle-seconds", args.idle_seconds),
                          ("--warning-seconds", args.warning_seconds)):
        if value is not None and value <= 0:
            print(f"{option} must be more than 0 seconds, not {value}", file=sys.stderr)
            return 2
    from kiosk.storage.database_url import (
        DatabaseUrlError,
        command_line_password_warning,
        password_for,
    )
    from kiosk.storage.keys import NEW_KEY_ENV, DatabaseKeyError, load_key

    warning = command_line_password_warning(sys.argv[1:] if argv is None else argv)
    if warning:
        print(warning, file=sys.stderr)
    try:
        key = load_key(args.key_file)
        password = password_for(args.database_url, args.database_password_file)
    except (DatabaseKeyError, DatabaseUrlError) as exc:
        print(f"The kiosk will not start: {exc}.", file=sys.stderr)
        return 2
    config = KioskConfig(
        db_key=key,
        database_url=args.database_url,
        database_password=password,
        staff_only=args.staff,
        data_dir=args.data_dir or default_data_dir(),
        fullscreen=args.kiosk,
        idle_seconds=args.idle_seconds,
        warning_seconds=args.warning_seconds,
        width=width,
        height=height,
        speech_engine=args.speech_engine,
        keyboard=args.keyboard,
        check_start=args.check_start,
        ehr_settings=args.ehr_settings,
        value_sets=args.value_sets,
    )
    try:
        config.data_dir.mkdir(parents=True, exist_ok=True)
        log_file = logging.FileHandler(config.log_path)
    except OSError as exc:
        print(f"The kiosk cannot use its data directory {config.data_dir}: "
              f"{exc.strerror or exc}.", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        handlers=[log_file, logging.StreamHandler()],
    )
    prepare_file_folders(config)
    if args.rekey:
        try:
            new_key = load_key(args.new_key_file, env_name=NEW_KEY_ENV)
        except DatabaseKeyError as exc:
            print(f"Key not changed: {exc}.", file=sys.stderr)
            return 2
        return rekey(config, new_key)
    if args.add_staff:
        return add_staff(config, args.add_staff, args.role)
    if args.setup_code:
        return setup_code(config)
    if args.backup:
        return backup(config, args.backup)
    problem = display_problem(os.environ)
    if problem is not None:
        print(f"The kiosk will not start: {problem}.", file=sys.stderr)
        return 2
    from kiosk.storage import StorageError
    from kiosk.ui.app import run

    try:
        return run(config, on_window)
    except ContentError as exc:
        print(f"The kiosk's content has a problem and it cannot start:\n  {exc}", file=sys.stderr)
        return 2
    except StorageError as exc:
        print(f"The kiosk cannot use its database and will not start:\n  {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
