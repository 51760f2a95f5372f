"""A preheated kernel's share of the CPU: small while it warms up for a page view that may
come, the usual one as soon as a page view has it or it is ready (decision 0027).

Linux gives each session its own scheduling group (autogroup), and Jupyter starts every
kernel in a session of its own: without this, a kernel warming up for the pool gets as much CPU
as all the pages being served together. A group's share is set through `/proc/PID/autogroup`;
any user may set their own processes' groups to a nice value from 0 to 19. Where the file is
missing (another system, autogroups turned off), nothing changes.
"""

from __future__ import annotations

import time
from pathlib import Path

__all__ = ["LOW", "NORMAL", "autogroup_nice", "set_autogroup_nice", "usual_share"]

LOW = 19
NORMAL = 0
TRIES = 20  # Linux accepts one change per 0.1 s from a process without CAP_SYS_ADMIN


def _path(pid: int | str) -> Path:
    return Path("/proc") / str(pid) / "autogroup"


def autogroup_nice(pid: int | str = "self") -> int | None:
    """The nice value of the scheduling group of process `pid`, or None where there is none."""
    try:
        return int(_path(pid).read_text().split("nice")[1])
    except (OSError, IndexError, ValueError):
        return None


def set_autogroup_nice(pid: int | str, nice: int, tries: int = TRIES) -> bool:
    """Give the scheduling group of process `pid` the nice value `nice` (0–19). False where
    the system has no such groups or the process is gone."""
    for attempt in range(tries):
        try:
            _path(pid).write_text(str(nice))
            return True
        except BlockingIOError:  # another group changed less than 0.1 s ago
            if attempt + 1 < tries:
                time.sleep(0.02)
        except OSError:
            return False
    return False


def usual_share(pid: int | str = "self") -> None:
    """A preheated kernel that is ready, or that a page view has taken: back to the usual share
    of the CPU if it had the small one, so its page view is served like any other."""
    nice = autogroup_nice(pid)
    if nice is not None and nice > NORMAL:
        set_autogroup_nice(pid, NORMAL)
