#!/bin/sh
# Every screen rendered in a real X window (Xvfb) with Qt Virtual Keyboard, both themes,
# both orientations, both languages, default and largest text: what `make screenshots`
# (offscreen, the kiosk's own keyboard) cannot show. Usage:
#   scripts/screenshots_real_window.sh [OUT_DIR [SCENE_PREFIX]]    (make screenshots-real)
# Needs Xvfb (scripts/system_packages.sh test installs it). Pictures are taken from the X
# screen, so Qt Virtual Keyboard's own window is in them.
set -eu
OUT=${1:-screenshots-real}
ONLY=${2:-}
PYTHON=${PYTHON:-.venv/bin/python}
command -v Xvfb >/dev/null || { echo "Xvfb is not installed (apt-get install xvfb)" >&2; exit 1; }
# One Xvfb per orientation, the window's size: Qt Virtual Keyboard docks at the bottom of
# the X screen, as on the kiosk's full-screen tablet. -displayfd: Xvfb picks a free display.
XVFB=
FIFO=$(mktemp -u)
trap '[ -n "$XVFB" ] && kill $XVFB 2>/dev/null; rm -f "$FIFO"' EXIT INT TERM
for ORIENTATION in landscape portrait; do
    case $ORIENTATION in landscape) SCREEN=1280x800x24 ;; *) SCREEN=800x1280x24 ;; esac
    mkfifo "$FIFO"
    Xvfb -displayfd 3 -screen 0 "$SCREEN" -nolisten tcp 3>"$FIFO" >/dev/null 2>&1 &
    XVFB=$!
    read -r NUMBER <"$FIFO"
    rm -f "$FIFO"
    DISPLAY=":$NUMBER" QT_QPA_PLATFORM=xcb KIOSK_SCREENSHOTS_WINDOW=real \
        KIOSK_SCREENSHOTS_ORIENTATION=$ORIENTATION "$PYTHON" -m kiosk.ui.screenshots "$OUT" "$ONLY"
    kill $XVFB && wait $XVFB 2>/dev/null || true
    XVFB=
done
