#!/usr/bin/env bash
# Install a CJK font (Debian's fonts-noto-cjk) so that charts draw Chinese instead of empty
# boxes. Does nothing when one is present; without root or sudo it says what to run and exits 0,
# and `jixiao report` then stops with the same advice.
set -u
if command -v fc-list >/dev/null && [ -n "$(fc-list :lang=zh family 2>/dev/null)" ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null; then
    echo "no CJK font and no apt-get: install a CJK font (e.g. Noto Sans CJK) for chart export" >&2
    exit 0
fi
if [ "$(id -u)" = "0" ]; then SUDO=""; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "no CJK font: run 'sudo apt-get install fonts-noto-cjk' for chart export" >&2
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -q fonts-noto-cjk >/dev/null 2>&1 \
    || { $SUDO apt-get update -q >/dev/null 2>&1 && $SUDO apt-get install -y -q fonts-noto-cjk >/dev/null; } \
    || echo "could not install fonts-noto-cjk; chart export will stop until a CJK font is installed" >&2
exit 0
