#!/usr/bin/env bash
# Install LibreOffice, headless, for reading the legacy and other office formats counties
# publish (.doc, .wps, .rtf, .odt, presentations; .xls/.et when python-calamine cannot):
# Debian's writer, calc and impress "nogui" packages (about 310 MiB). Those formats are
# reported as unreadable, with the same advice, when it is missing.
exec bash "$(dirname "$0")/apt_install.sh" "LibreOffice (headless, for .doc/.wps/.rtf and other office formats)" \
    'command -v soffice || command -v libreoffice' \
    libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui
