"""A preheated kernel's share of the CPU (helsetilbud.kernel_priority, decision 0027)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from helsetilbud.kernel_priority import LOW, NORMAL, autogroup_nice, set_autogroup_nice

pytestmark = pytest.mark.skipif(
    autogroup_nice() is None, reason="Linux uten /proc/PID/autogroup: ingenting å endre"
)


@pytest.fixture
def session() -> Iterator[int]:
    """A process in a session, and so a scheduling group, of its own, as Jupyter's kernels."""
    child = subprocess.Popen(["sleep", "60"], start_new_session=True)
    yield child.pid
    child.kill()
    child.wait()


def test_a_group_gets_the_small_share_and_back_the_usual_one(session: int) -> None:
    assert autogroup_nice(session) == NORMAL
    assert set_autogroup_nice(session, LOW)
    assert autogroup_nice(session) == LOW
    assert set_autogroup_nice(session, NORMAL)
    assert autogroup_nice(session) == NORMAL


def test_a_process_that_is_gone_changes_nothing() -> None:
    child = subprocess.Popen(["true"])
    child.wait()
    assert not set_autogroup_nice(child.pid, LOW)
    assert autogroup_nice(child.pid) is None


def test_a_kernel_that_has_warmed_up_takes_the_usual_share_itself() -> None:
    script = (
        "from helsetilbud.kernel_priority import *\n"
        "set_autogroup_nice('self', LOW)\n"
        "before = autogroup_nice()\n"
        "usual_share()\n"
        "print(before, autogroup_nice())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        start_new_session=True,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split() == [str(LOW), str(NORMAL)]
