"""The kernel manager `helsetilbud serve` gives Voilà: slow pages keep their kernel."""

from __future__ import annotations

import asyncio
import subprocess
from collections import namedtuple
from collections.abc import Iterator
from datetime import timedelta
from types import SimpleNamespace

import pytest
from jupyter_server._tz import utcnow

from helsetilbud.kernel_priority import LOW, NORMAL, autogroup_nice, set_autogroup_nice
from helsetilbud.serving import PageKernelManager, busy_share


def _manager_with(kernel_id: str, *, idle_s: float, state: str = "idle") -> PageKernelManager:
    manager = PageKernelManager()
    kernel = SimpleNamespace(
        execution_state=state, last_activity=utcnow() - timedelta(seconds=idle_s)
    )
    manager._kernels[kernel_id] = kernel  # type: ignore[assignment]
    manager.shut_down: list[str] = []  # type: ignore[misc]

    async def shutdown(kid: str, *args: object, **kwargs: object) -> None:
        manager.shut_down.append(kid)  # type: ignore[attr-defined]

    manager.shutdown_kernel = shutdown  # type: ignore[method-assign]
    return manager


def test_a_kernel_whose_page_has_not_connected_yet_survives_the_usual_idle_limit():
    manager = _manager_with("k1", idle_s=120)
    asyncio.run(manager.cull_kernel_if_idle("k1"))
    assert manager.shut_down == []  # type: ignore[attr-defined]


def test_a_kernel_no_page_connected_to_for_five_minutes_is_culled():
    manager = _manager_with("k1", idle_s=301)
    asyncio.run(manager.cull_kernel_if_idle("k1"))
    assert manager.shut_down == ["k1"]  # type: ignore[attr-defined]


def test_a_preheated_kernel_waiting_for_its_page_is_never_culled():
    manager = _manager_with("k1", idle_s=3600, state="busy")
    asyncio.run(manager.cull_kernel_if_idle("k1"))
    assert manager.shut_down == []  # type: ignore[attr-defined]


def test_a_kernel_whose_tab_closed_is_left_to_the_usual_idle_rule(monkeypatch):
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

    usual: list[str] = []

    async def usual_rule(self: object, kernel_id: str) -> None:
        usual.append(kernel_id)

    monkeypatch.setattr(AsyncMappingKernelManager, "cull_kernel_if_idle", usual_rule)
    manager = _manager_with("k1", idle_s=45)
    manager._kernel_connections["k1"] = 0
    manager.notify_connect("k1")
    manager.notify_disconnect("k1")
    asyncio.run(manager.cull_kernel_if_idle("k1"))
    assert usual == ["k1"]


# --- replacing used preheated kernels -------------------------------------------------------

Times = namedtuple("Times", "user system idle iowait")


def _refill_manager(monkeypatch, busy: list[float], ready: int) -> tuple[PageKernelManager, list]:
    """A manager whose machine is `busy[i]` busy in second i, with `ready` preheated kernels
    in its pool; records when the kernel itself was started."""
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

    clock = {"t": 0.0, "cpu": Times(0.0, 0.0, 0.0, 0.0)}
    started: list[float] = []

    def cpu_times() -> Times:
        return clock["cpu"]

    async def sleep(seconds: float) -> None:
        share = busy[min(int(clock["t"]), len(busy) - 1)]
        c = clock["cpu"]
        clock["cpu"] = Times(c.user + 2 * share, c.system, c.idle + 2 * (1 - share), c.iowait)
        clock["t"] += seconds

    async def start(self: object, *args: object, **kwargs: object) -> str:
        started.append(clock["t"])
        return "k-new"

    monkeypatch.setattr("helsetilbud.serving.psutil.cpu_times", cpu_times)
    monkeypatch.setattr("helsetilbud.serving.asyncio.sleep", sleep)
    monkeypatch.setattr("helsetilbud.serving.time.monotonic", lambda: clock["t"])
    monkeypatch.setattr(AsyncMappingKernelManager, "start_kernel", start)
    manager = PageKernelManager()
    manager.kernel_pools_config = {"default": {"pool_size": 0}, "rediger.ipynb": {"pool_size": 2}}
    manager._preheat_starts = 2  # the first fill is done: this is a replacement
    pool: list = [SimpleNamespace(done=lambda: True) for _ in range(ready)]
    manager._pools = {"rediger.ipynb": pool}  # type: ignore[attr-defined]
    return manager, started


def _in_pool(manager: PageKernelManager, coroutine) -> object:  # type: ignore[no-untyped-def]
    """Run `coroutine` as Voilà does: as a task that is itself an entry of the pool."""

    async def run() -> object:
        task = asyncio.ensure_future(coroutine)
        manager._pools["rediger.ipynb"].append(task)  # type: ignore[attr-defined]
        return await task

    return asyncio.run(run())


def test_a_used_preheated_kernel_is_replaced_only_once_the_rush_is_over(monkeypatch):
    manager, started = _refill_manager(monkeypatch, busy=[1.0] * 5 + [0.2], ready=2)
    _in_pool(manager, manager.start_kernel(env={"VOILA_PREHEAT": "True"}))
    assert started == [8.0]  # five busy seconds waited out, then three quiet ones


def test_a_lull_between_the_pages_of_a_rush_is_not_quiet_enough(monkeypatch):
    manager, started = _refill_manager(
        monkeypatch, busy=[1.0, 0.2, 0.2, 1.0, 0.3, 1.0, 0.1, 0.1, 0.1], ready=2
    )
    _in_pool(manager, manager.start_kernel(env={"VOILA_PREHEAT": "True"}))
    assert started == [9.0]  # not after the two quiet seconds at 1-2 or the one at 4


def test_an_empty_pool_is_refilled_after_the_rush_too(monkeypatch):
    """The last preheated kernel taken: its replacement does not start while the pages of the
    rush still load (a page view that comes takes the waiting replacement instead)."""
    manager, started = _refill_manager(monkeypatch, busy=[1.0] * 4 + [0.1], ready=0)
    _in_pool(manager, manager.start_kernel(env={"VOILA_PREHEAT": "True"}))
    assert started == [7.0]


def test_the_replacement_waits_no_longer_than_refill_max_wait(monkeypatch):
    manager, started = _refill_manager(monkeypatch, busy=[1.0], ready=3)
    manager.refill_max_wait = 30
    _in_pool(manager, manager.start_kernel(env={"VOILA_PREHEAT": "True"}))
    assert started == [30.0]


def test_the_pool_s_first_fill_never_waits(monkeypatch):
    manager, started = _refill_manager(monkeypatch, busy=[1.0], ready=3)
    manager._preheat_starts = 0  # the first of the pool's two kernels
    _in_pool(manager, manager.start_kernel(env={"VOILA_PREHEAT": "True"}))
    assert started == [0.0]


def test_a_kernel_a_page_view_has_taken_from_the_pool_starts_at_once(monkeypatch):
    manager, started = _refill_manager(monkeypatch, busy=[1.0], ready=3)
    asyncio.run(manager.start_kernel(env={"VOILA_PREHEAT": "True"}))  # not in the pool
    assert started == [0.0]


def test_a_page_s_own_kernel_never_waits(monkeypatch):
    manager, started = _refill_manager(monkeypatch, busy=[1.0], ready=3)
    asyncio.run(manager.start_kernel(env={"VOILA_PREHEAT": "False"}))
    assert started == [0.0]


def test_busy_share_counts_io_wait_as_idle():
    before, after = Times(0, 0, 0, 0), Times(3, 1, 2, 2)
    assert busy_share(before, after) == 0.5


# --- the share of the CPU a replacement warms up with (helsetilbud.kernel_priority) ----------


@pytest.fixture
def kernel_process() -> Iterator[int]:
    """The process of the kernel "k-new": a session of its own, as Jupyter starts kernels."""
    if autogroup_nice() is None:
        pytest.skip("Linux uten /proc/PID/autogroup")
    child = subprocess.Popen(["sleep", "60"], start_new_session=True)
    yield child.pid
    child.kill()
    child.wait()


def _with_kernel(manager: PageKernelManager, pid: int) -> None:
    kernel = SimpleNamespace(provisioner=SimpleNamespace(pid=pid))
    manager._kernels["k-new"] = kernel  # type: ignore[assignment]


def test_a_replacement_no_page_waits_for_warms_up_with_a_small_share(monkeypatch, kernel_process):
    manager, _ = _refill_manager(monkeypatch, busy=[0.1], ready=2)
    _with_kernel(manager, kernel_process)
    _in_pool(manager, manager.start_kernel(env={"VOILA_PREHEAT": "True"}))
    assert autogroup_nice(kernel_process) == LOW


def test_the_first_fill_and_a_kernel_a_page_waits_for_get_the_usual_share(
    monkeypatch, kernel_process
):
    manager, _ = _refill_manager(monkeypatch, busy=[0.1], ready=0)
    _with_kernel(manager, kernel_process)
    asyncio.run(manager.start_kernel(env={"VOILA_PREHEAT": "True"}))  # taken: not in the pool
    assert autogroup_nice(kernel_process) == NORMAL
    manager._preheat_starts = 0
    _in_pool(manager, manager.start_kernel(env={"VOILA_PREHEAT": "True"}))  # the first fill
    assert autogroup_nice(kernel_process) == NORMAL


def test_a_page_view_that_takes_a_replacement_still_warming_up_gives_it_the_usual_share(
    kernel_process,
):
    class Preheating(PageKernelManager):  # what Voilà's factory adds with preheat_kernel
        async def get_rendered_notebook(self, notebook_name: str) -> tuple:
            return (None, None, "k-new")

    manager = Preheating()
    _with_kernel(manager, kernel_process)
    set_autogroup_nice(kernel_process, LOW)
    assert asyncio.run(manager.get_rendered_notebook("rediger.ipynb"))[2] == "k-new"
    assert autogroup_nice(kernel_process) == NORMAL
