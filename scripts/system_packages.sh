#!/usr/bin/env bash
# The Debian packages the kiosk needs, in one place: `make run`, `make test`, .ci/run and
# deploy/install.sh call this.
#
#   scripts/system_packages.sh run|test|ci|deploy      check (and, as root, install)
#   scripts/system_packages.sh --list run|test|ci|deploy
#
# As root, installs what is missing (apt-get). Otherwise, if something is missing, prints the
# one `sudo apt-get install -y ...` line that installs it and exits 1 at once. Not on Debian
# (no dpkg-query): says so and lets the caller go on.
set -euo pipefail

# Python with venv, make, and what Qt needs to start at all, offscreen included
# (EGL/GL, xkbcommon, fontconfig with a font, GLib, D-Bus); libpulse0 because Qt
# TextToSpeech (read aloud) loads Qt Multimedia, which needs it.
base=(python3 python3-venv make libegl1 libgl1 libxkbcommon0 libfontconfig1 libglib2.0-0
      libdbus-1-3 fonts-dejavu-core libpulse0)
# A window on an X11 desktop (Qt's xcb platform plugin).
x11=(libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
     libxcb-render-util0 libxcb-image0)
# The locked-down tablet: cage (a Wayland kiosk compositor; Debian's 0.1.4 will not start
# without Xwayland) and what Qt's wayland platform plugin links against.
wayland=(cage xwayland libwayland-client0 libwayland-cursor0 libwayland-egl1)
# The tests: a real X window driven by taps (tests/test_real_window.py), git (the wheel is
# built from the files git tracks), Node.js (the test FHIR server, tests/fhir_server: 20.19
# or later, as on this project's machines; Debian 12's own nodejs is 18, too old for it);
# the robot patient through the accessibility tree (tests/test_atspi_robot.py): the AT-SPI
# bus, a session D-Bus, and pyatspi for the system Python; poppler-utils' pdftotext reads
# the printed PDFs back (tests/helpers/pdf.py).
testing=(xvfb xdotool git nodejs at-spi2-core dbus-daemon python3-pyatspi poppler-utils)

list=false
if [ "${1:-}" = --list ]; then list=true; shift; fi
purpose=${1:?"usage: $0 [--list] run|test|ci|deploy"}
case "$purpose" in
  run)    wanted=("${base[@]}" "${x11[@]}") ;;
  test)   wanted=("${base[@]}" "${x11[@]}" "${testing[@]}" "${wayland[@]}") ;;
  # CI also starts a private PostgreSQL (scripts/test_postgres.sh).
  ci)     wanted=("${base[@]}" "${x11[@]}" "${testing[@]}" "${wayland[@]}" postgresql) ;;
  deploy) wanted=("${base[@]}" "${wayland[@]}") ;;
  *) echo "$0: unknown purpose '$purpose' (run, test, ci or deploy)" >&2; exit 2 ;;
esac
if $list; then echo "${wanted[*]}"; exit 0; fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "Not a Debian system: make sure the equivalents of these are installed: ${wanted[*]}" >&2
  exit 0
fi

installed=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${wanted[@]}" 2>/dev/null \
            | awk '$2 == "installed" { print $1 }' || true)
missing=()
for package in "${wanted[@]}"; do
  grep -qxF "$package" <<<"$installed" || missing+=("$package")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages for '$purpose'; install them with:" >&2
  echo "sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages for '$purpose': ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
