#!/bin/sh
# Make Debian's redis-server available for the distributed-mode tests (tests/test_distributed.py),
# which start their own server on a free loopback port; nothing is started here. Installs it with
# apt-get when run as root. Without redis-server: under CI=true this script fails (and those tests
# would fail too, never skip); elsewhere it says why and exits 0, and those tests are skipped.
missing() {
    echo "ensure_redis: $1"
    if [ "${CI:-}" = "true" ]; then
        echo "ensure_redis: CI=true needs the distributed tests: failing"
        exit 1
    fi
    echo "ensure_redis: the distributed tests will be skipped"
    exit 0
}

if command -v redis-server >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" != "0" ]; then
    missing "redis-server missing and not root (apt-get install redis-server)"
fi
if ! command -v apt-get >/dev/null 2>&1; then
    missing "redis-server missing and no apt-get"
fi
echo "ensure_redis: installing Debian redis-server with apt-get"
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get install -y -qq --no-install-recommends redis-server >/dev/null 2>&1 \
       || { apt-get update -qq >/dev/null 2>&1 \
            && apt-get install -y -qq --no-install-recommends redis-server >/dev/null 2>&1; }; }; then
    missing "apt-get could not install redis-server"
fi
command -v redis-server >/dev/null 2>&1 || missing "redis-server still missing after apt-get"
exit 0
