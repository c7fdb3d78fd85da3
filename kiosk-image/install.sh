#!/usr/bin/env bash
# Turns a plain Debian 12 machine into a locked-down Guichet kiosk. Run as root, from a copy of
# this folder, with the guichet binary built (`cargo build --release`) next to it or given as $1.
#
#   sudo ./install.sh ./guichet
#
# Then write the configuration with `guichet provision` (or copy a kiosk.toml to
# /etc/guichet/kiosk.toml), check it with `guichet doctor`, and reboot.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
binary="${1:-$here/guichet}"
[ "$(id -u)" = 0 ] || { echo "install.sh: run as root" >&2; exit 1; }
[ -x "$binary" ] || { echo "install.sh: no guichet binary at $binary (build it, or pass its path)" >&2; exit 1; }

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# cage: the one-app compositor (libseat via systemd-logind); no xwayland: the unit points cage's
# X11 support at /bin/false (see guichet-kiosk.service); fonts for every UI script;
# unattended-upgrades: security fixes without a visit; nftables: the firewall below.
apt-get install -y -q --no-install-recommends \
  cage fonts-noto-core ca-certificates unattended-upgrades nftables chrony espeak-ng alsa-utils

# A system user with no shell and no home to log into; serial printers need the dialout group,
# speech mode's voice and headset sensing the audio group.
id guichet >/dev/null 2>&1 || useradd --system --home-dir /var/lib/guichet --shell /usr/sbin/nologin guichet
usermod -a -G dialout,video,input,render,audio guichet

install -m 0755 "$binary" /usr/local/bin/guichet
install -d -m 0750 -o root -g guichet /etc/guichet
install -d -m 0700 -o guichet -g guichet /var/lib/guichet
# The fleet metrics ([fleet] textfile): node_exporter's textfile collector reads this directory.
mkdir -p /var/lib/prometheus
install -d -m 0755 -o guichet -g guichet /var/lib/prometheus/node-exporter

install -m 0644 "$here/guichet-kiosk.service" /etc/systemd/system/guichet-kiosk.service
# A start limit that trips, then the plain "out of order" screen instead of a restart loop.
install -D -m 0644 "$here/../packaging/guichet-kiosk.service.d/10-package.conf" \
  /etc/systemd/system/guichet-kiosk.service.d/10-package.conf
install -m 0644 "$here/guichet-out-of-order.service" /etc/systemd/system/guichet-out-of-order.service
install -m 0644 "$here/nftables.conf" /etc/nftables.conf
install -m 0644 "$here/20auto-upgrades" /etc/apt/apt.conf.d/20auto-upgrades
# No USB mass storage on a public machine: a stick can neither be mounted nor used to exfiltrate.
install -m 0644 "$here/no-usb-storage.conf" /etc/modprobe.d/guichet-no-usb-storage.conf
# The unit allows the serial printer's device groups (ttyUSB, ttyACM) by name, which systemd reads
# from /proc/devices when the kiosk starts: load their drivers at boot, so that a printer plugged
# in after the start is allowed too.
printf '%s\n' usbserial cdc_acm > /etc/modules-load.d/guichet-serial.conf
# Ctrl+Alt+Del must not reboot a public kiosk.
systemctl mask ctrl-alt-del.target

systemctl daemon-reload
systemctl enable nftables.service chrony.service guichet-kiosk.service
systemctl set-default graphical.target
echo "Guichet installed. Next: guichet provision (or copy /etc/guichet/kiosk.toml), guichet doctor, reboot."
