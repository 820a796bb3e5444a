#!/usr/bin/env bash
# Install Intake Kiosk as a locked-down single-app tablet (Debian 12), as root:
#   sudo deploy/install.sh [WHEEL]
# WHEEL: a built intake_kiosk-*.whl; default: this checkout (pip builds it). Needs the
# network for the pinned Python packages. Run it again to upgrade: the user, the data and
# the key are kept.
#
#   /opt/intake-kiosk/venv          the kiosk (root's, read-only to the kiosk user)
#   /opt/intake-kiosk/kiosk-session restarts the kiosk inside cage when it ends
#   /var/lib/intake-kiosk           database, exports, backups, log: kiosk:kiosk 0700, files 0600
#   /etc/intake-kiosk/db.key        the database key: kiosk:kiosk 0600 (directory 0700)
#   /etc/intake-kiosk/environment   optional settings (KIOSK_DATABASE_URL=...): 0600
#   /etc/systemd/system/intake-kiosk.service, /etc/pam.d/intake-kiosk
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
if [ "$(id -u)" -ne 0 ]; then
  echo "Run it as root: sudo $0 $*" >&2
  exit 1
fi
prefix=/opt/intake-kiosk
data=/var/lib/intake-kiosk
etc=/etc/intake-kiosk
source=${1:-$repo}

"$repo/scripts/system_packages.sh" deploy

if ! id kiosk >/dev/null 2>&1; then
  useradd --system --user-group --home-dir "$data" --no-create-home \
          --shell /usr/sbin/nologin kiosk
fi
install -d -m 0755 -o root -g root "$prefix"
install -d -m 0700 -o kiosk -g kiosk "$data" "$etc"

[ -x "$prefix/venv/bin/python" ] || python3 -m venv "$prefix/venv"
"$prefix/venv/bin/python" -m pip install --quiet --upgrade "$source"
install -m 0755 -o root -g root "$here/kiosk-session" "$prefix/kiosk-session"

if [ ! -e "$etc/db.key" ]; then
  (umask 077; head -c 24 /dev/urandom | base64 > "$etc/db.key")
  new_key=yes
fi
chown kiosk:kiosk "$etc/db.key"
chmod 0600 "$etc/db.key"
[ ! -e "$etc/environment" ] || { chown kiosk:kiosk "$etc/environment"; chmod 0600 "$etc/environment"; }
# Data written before (an upgrade, or a copy put there by hand) becomes the kiosk user's only.
chown -R kiosk:kiosk "$data"
chmod 0700 "$data"
find "$data" -type d -exec chmod 0700 {} + -o -type f -exec chmod 0600 {} +

install -m 0644 "$here/pam.d/intake-kiosk" /etc/pam.d/intake-kiosk
install -m 0644 "$here/intake-kiosk.service" /etc/systemd/system/intake-kiosk.service
# The installed kiosk must start before the tablet depends on it.
(umask 077; runuser -u kiosk -- env QT_QPA_PLATFORM=offscreen "$prefix/venv/bin/intake-kiosk" \
    --check-start --data-dir "$data" --key-file "$etc/db.key" --speech-engine off >/dev/null)
systemctl daemon-reload
systemctl enable intake-kiosk.service
systemctl set-default graphical.target >/dev/null

echo "Installed. Start it now with: systemctl start intake-kiosk (or reboot)."
if [ "${new_key:-}" = yes ]; then
  echo "A new database key is in $etc/db.key. Keep a copy somewhere safe: without it the" \
       "database (and its backups) cannot be opened."
fi
echo "First staff account: sudo -u kiosk $prefix/venv/bin/intake-kiosk --data-dir $data" \
     "--key-file $etc/db.key --add-staff NAME"
