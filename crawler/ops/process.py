"""Whether a process id still names a live process: the one check behind stale locks and job directories."""

from __future__ import annotations

import os
from typing import Any


def pid_alive(pid: Any) -> bool:
    """Return True when ``pid`` is a positive integer naming a live process (another user's included).

    Signal 0 checks existence without touching the process; ``PermissionError`` means it exists but
    belongs to someone else. A pid can be reused, so callers that can tell (the run lock) also check
    that the process really holds what it claims.
    """
    if not isinstance(pid, int) or isinstance(pid, bool) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
