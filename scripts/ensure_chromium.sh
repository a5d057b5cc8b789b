#!/bin/sh
# Make Debian's chromium available for tests/test_browser.py. Never fails the build: without a
# browser the browser test is skipped, and this script says why. Playwright's own browser
# download is never used (the test drives /usr/bin/chromium).
CHROMIUM="${TREMPLIN_CHROMIUM:-/usr/bin/chromium}"

if [ -x "$CHROMIUM" ]; then
    exit 0
fi
if [ "$(id -u)" != "0" ]; then
    echo "ensure_chromium: $CHROMIUM missing and not root: the browser test will be skipped (apt-get install chromium)"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_chromium: $CHROMIUM missing and no apt-get: the browser test will be skipped"
    exit 0
fi
echo "ensure_chromium: installing Debian chromium with apt-get"
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 \
       || { apt-get update -qq >/dev/null 2>&1 \
            && apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1; }; }; then
    echo "ensure_chromium: apt-get could not install chromium: the browser test will be skipped"
fi
[ -x "$CHROMIUM" ] || echo "ensure_chromium: $CHROMIUM still missing: the browser test will be skipped"
exit 0
