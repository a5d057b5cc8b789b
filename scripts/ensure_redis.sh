#!/bin/sh
# Make Debian's redis-server available for the distributed-mode tests (tests/test_distributed.py),
# which start their own server on a free loopback port. Never fails the build: without redis-server
# those tests are skipped, and this script says why. Nothing is started here.
if command -v redis-server >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" != "0" ]; then
    echo "ensure_redis: redis-server missing and not root: distributed tests will be skipped (apt-get install redis-server)"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_redis: redis-server missing and no apt-get: distributed tests will be skipped"
    exit 0
fi
echo "ensure_redis: installing Debian redis-server with apt-get"
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get install -y -qq --no-install-recommends redis-server >/dev/null 2>&1 \
       || { apt-get update -qq >/dev/null 2>&1 \
            && apt-get install -y -qq --no-install-recommends redis-server >/dev/null 2>&1; }; }; then
    echo "ensure_redis: apt-get could not install redis-server: distributed tests will be skipped"
fi
command -v redis-server >/dev/null 2>&1 || echo "ensure_redis: redis-server still missing: distributed tests will be skipped"
exit 0
