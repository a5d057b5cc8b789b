#!/bin/sh
# Make Debian's chromium available for tests/test_browser.py (Playwright drives /usr/bin/chromium;
# its own browser download is never used). Installs it with apt-get when run as root.
# Without a browser: under CI=true this script fails (and the browser test would fail too, never
# skip); elsewhere it says why and exits 0, and the browser test is skipped with that reason.
CHROMIUM="${TREMPLIN_CHROMIUM:-/usr/bin/chromium}"

missing() {
    echo "ensure_chromium: $1"
    if [ "${CI:-}" = "true" ]; then
        echo "ensure_chromium: CI=true needs the browser test: failing"
        exit 1
    fi
    echo "ensure_chromium: the browser test will be skipped"
    exit 0
}

if [ -x "$CHROMIUM" ]; then
    exit 0
fi
if [ "$(id -u)" != "0" ]; then
    missing "$CHROMIUM missing and not root (apt-get install chromium)"
fi
if ! command -v apt-get >/dev/null 2>&1; then
    missing "$CHROMIUM missing and no apt-get"
fi
echo "ensure_chromium: installing Debian chromium with apt-get"
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 \
       || { apt-get update -qq >/dev/null 2>&1 \
            && apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1; }; }; then
    missing "apt-get could not install chromium"
fi
[ -x "$CHROMIUM" ] || missing "$CHROMIUM still missing after apt-get"
exit 0
