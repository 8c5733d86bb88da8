#!/usr/bin/env bash
# Install Debian packages the project needs, with apt-get, without recommends:
#     apt_install.sh "<what, for what>" "<shell test that they are there>" PACKAGE...
# Does nothing when the test passes. Without apt-get, or without root or sudo, it says what to
# run and exits 0 (what needs them then stops with the same advice). As root (or with sudo) a
# failed install fails the setup, with apt-get's output.
set -u
what=$1 present=$2
shift 2
packages="$*"
if bash -c "$present" >/dev/null 2>&1; then
    exit 0
fi
if ! command -v apt-get >/dev/null; then
    echo "$what is not installed and there is no apt-get: install it ($packages or your system's equivalent)" >&2
    exit 0
fi
if [ "$(id -u)" = "0" ]; then SUDO=""; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "$what is not installed: run 'sudo apt-get install --no-install-recommends $packages'" >&2
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
APT="$SUDO apt-get -y -q -o DPkg::Lock::Timeout=600"
log=$(mktemp)
echo "installing $what ($packages) with apt-get …" >&2
if ! $APT install --no-install-recommends $packages >"$log" 2>&1; then
    if ! { $APT update >>"$log" 2>&1 && $APT install --no-install-recommends $packages >>"$log" 2>&1; }; then
        tail -20 "$log" >&2
        echo "could not install $what ($packages); see the apt-get output above" >&2
        rm -f "$log"
        exit 1
    fi
fi
rm -f "$log"
bash -c "$present" >/dev/null 2>&1 || { echo "$packages installed, but $what is still not found" >&2; exit 1; }
exit 0
