#!/usr/bin/env bash
# Install a CJK font (Debian's fonts-noto-cjk) so that charts draw Chinese instead of empty
# boxes; `jixiao report` stops with advice when none is installed.
exec bash "$(dirname "$0")/apt_install.sh" "a CJK font for chart export" \
    'command -v fc-list && [ -n "$(fc-list :lang=zh family)" ]' fonts-noto-cjk
