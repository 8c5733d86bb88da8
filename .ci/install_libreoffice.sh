#!/usr/bin/env bash
# Install LibreOffice, headless, for reading the legacy and other office formats counties
# publish (.doc, .wps, .rtf, .odt, presentations; .xls/.et when python-calamine cannot):
# Debian's writer, calc and impress "nogui" packages, without recommends (about 310 MiB).
# Does nothing when soffice is already there. Without root or sudo (or apt-get) it says what
# to run and exits 0: those formats are then reported as unreadable with the same advice, and
# `make test` fails on the formats tests. As root, a failed install fails the setup.
set -u
PACKAGES="libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui"
if command -v soffice >/dev/null || command -v libreoffice >/dev/null; then
    exit 0
fi
if ! command -v apt-get >/dev/null; then
    echo "LibreOffice is not installed and there is no apt-get: install LibreOffice (soffice on the PATH) to read .doc, .wps, .rtf and other office formats" >&2
    exit 0
fi
if [ "$(id -u)" = "0" ]; then SUDO=""; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "LibreOffice is not installed: run 'sudo apt-get install --no-install-recommends $PACKAGES' to read .doc, .wps, .rtf and other office formats" >&2
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
APT="$SUDO apt-get -y -q -o DPkg::Lock::Timeout=600"
log=$(mktemp)
echo "installing LibreOffice (headless: $PACKAGES) with apt-get …" >&2
if ! $APT install --no-install-recommends $PACKAGES >"$log" 2>&1; then
    if ! { $APT update >>"$log" 2>&1 && $APT install --no-install-recommends $PACKAGES >>"$log" 2>&1; }; then
        tail -20 "$log" >&2
        echo "could not install LibreOffice ($PACKAGES); see the apt-get output above" >&2
        rm -f "$log"
        exit 1
    fi
fi
rm -f "$log"
command -v soffice >/dev/null || { echo "LibreOffice installed but soffice is not on the PATH" >&2; exit 1; }
exit 0
