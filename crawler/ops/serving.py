"""Running Datasette as a child of ``tremplin serve``: a busy port found first, signals passed on.

The port is tried before any work (publishing a copy, or the demo's crawl), so a busy port costs
one line, not a crawl followed by uvicorn's ``errno 98``. Datasette runs in its own process group:
SIGTERM or SIGINT sent to ``tremplin serve`` (systemd, ``kill``, Ctrl-C) is forwarded once, and
``tremplin serve`` waits for Datasette to exit, so stopping it never leaves a server on the port.
"""

from __future__ import annotations

import contextlib
import errno
import signal
import socket
import subprocess
import time
from collections.abc import Sequence
from typing import Any

FORWARDED = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
# After this long without exiting, Datasette is killed.
STOP_TIMEOUT = 10.0


class PortBusyError(OSError):
    """The address cannot be listened on; the message is one line."""


def check_port(host: str, port: int) -> None:
    """Raise :class:`PortBusyError` when nothing could listen on ``host:port`` now.

    ``SO_REUSEADDR`` as uvicorn sets it: a port in TIME_WAIT is free, a listening one is not.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise PortBusyError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortBusyError(f"port {port} on {host} is already in use: choose another with --port") from None
            raise PortBusyError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def run_server(command: Sequence[str]) -> int:
    """Run ``command`` until it exits; forward SIGTERM/SIGINT/SIGHUP to it and wait; return its status.

    A server stopped by a forwarded signal returns 0 (the operator asked for it).
    """
    child = subprocess.Popen(list(command), process_group=0)
    asked: list[int] = []

    def forward(signum: int, _frame: Any) -> None:
        if not asked:
            with contextlib.suppress(ProcessLookupError):
                child.send_signal(signum)
        asked.append(signum)

    previous = {signum: signal.signal(signum, forward) for signum in FORWARDED}
    deadline: float | None = None
    try:
        while True:
            try:
                status = child.wait(timeout=0.5)
                break
            except subprocess.TimeoutExpired:
                if asked and deadline is None:
                    deadline = time.monotonic() + STOP_TIMEOUT
                if deadline is not None and time.monotonic() > deadline:
                    child.kill()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if child.poll() is None:  # an exception in this process: never leave the server behind
            child.kill()
            child.wait()
    if asked:
        return 0 if status in (0, -asked[0], 128 + asked[0]) else status
    return status
