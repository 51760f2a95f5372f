"""Voilà's kernel manager for many users: cull a closed tab's kernel fast, a slow page's never.

A kernel whose browser connected and then left (a closed tab) is culled after
`cull_idle_timeout` (40 s in `helsetilbud serve`). A kernel that no browser has connected to
yet is a page still on its way under load: it gets `cull_unconnected_timeout` (5 minutes)
before it counts as abandoned.

A used preheated kernel is replaced when the machine has been quiet for a few seconds
(`refill_busy_share`, `refill_quiet_seconds`), not in a lull between the pages of a
Monday-morning rush: the users waiting now come before the pool for those who may come later,
also when the pool is empty. A page view that finds no ready kernel takes a waiting
replacement, and that one starts at once. It waits no longer than `refill_max_wait`.
A replacement warms up with a small share of the CPU, so that the pages of users who come
while it does are served first (`helsetilbud.kernel_priority`); it gets the usual share when
it is ready or when a page view takes it. Used by `helsetilbud serve` through
`VoilaConfiguration.multi_kernel_manager_class`.
"""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from typing import Any

import psutil
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from jupyter_server.utils import ensure_async
from traitlets import Float, Integer

from helsetilbud.kernel_priority import LOW, set_autogroup_nice, usual_share

__all__ = ["PageKernelManager"]


class PageKernelManager(AsyncMappingKernelManager):
    """AsyncMappingKernelManager that never culls a kernel before its page has connected."""

    cull_unconnected_timeout = Integer(
        300,
        config=True,
        help="Seconds of inactivity before a kernel no browser ever connected to is culled.",
    )

    refill_busy_share = Float(
        0.5,
        config=True,
        help="Replace a used preheated kernel only when less than this share of the CPU is busy.",
    )
    refill_quiet_seconds = Integer(
        3,
        config=True,
        help="Seconds in a row the CPU must have been quiet (refill_busy_share) before a "
        "replacement starts.",
    )
    refill_max_wait = Integer(
        180, config=True, help="Seconds a preheated kernel's replacement waits at most."
    )

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._ever_connected: set[str] = set()
        self._preheat_starts = 0
        take = getattr(self, "get_rendered_notebook", None)  # Voilà's, with preheated kernels
        if take is not None:

            async def taken(*args: Any, **kwargs: Any) -> Any:
                result = await take(*args, **kwargs)
                await self._usual_share(result[2])  # (render task, cache, kernel id)
                return result

            self.get_rendered_notebook = taken

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:
        env = kwargs.get("env") or {}
        preheat = env.get("VOILA_PREHEAT") == "True"
        if preheat:
            self._preheat_starts += 1
            await self._until_quiet()
        kernel_id = str(await super().start_kernel(*args, **kwargs))
        if preheat and not self._may_start(asyncio.current_task()):
            pid = self._kernel_pid(kernel_id)  # a replacement no page view waits for yet
            if pid is not None:
                await asyncio.to_thread(set_autogroup_nice, pid, LOW)
        return kernel_id

    def _kernel_pid(self, kernel_id: str) -> int | None:
        kernel = self._kernels.get(kernel_id)
        pid = getattr(getattr(kernel, "provisioner", None), "pid", None)
        return pid if isinstance(pid, int) else None

    async def _usual_share(self, kernel_id: str) -> None:
        """A kernel a page view has taken, still warming up: the usual share of the CPU."""
        pid = self._kernel_pid(kernel_id)
        if pid is not None:
            await asyncio.to_thread(usual_share, pid)

    def _pool_entries(self) -> list[asyncio.Future]:
        """Every entry of Voilà's preheat pools (none without preheat)."""
        pools: dict[str, list[asyncio.Future]] = getattr(self, "_pools", {})
        return [entry for pool in pools.values() for entry in pool]

    def pool_capacity(self) -> int:
        """The preheated kernels the pools hold when full (`helsetilbud serve` configures
        them per notebook, with a default of 0)."""
        config: dict[str, dict] = getattr(self, "kernel_pools_config", {})
        return sum(int(c.get("pool_size", 0)) for name, c in config.items() if name != "default")

    def _may_start(self, task: asyncio.Task | None) -> bool:
        """Start a preheated kernel now: in the pools' first fill, or when a page view has
        taken this very kernel from the pool and waits for it."""
        return self._preheat_starts <= self.pool_capacity() or task not in self._pool_entries()

    async def _until_quiet(self) -> None:
        task = asyncio.current_task()  # Voilà's pool entry for the kernel being started
        deadline = time.monotonic() + self.refill_max_wait
        quiet = 0
        while time.monotonic() < deadline and not self._may_start(task):
            before = psutil.cpu_times()
            await asyncio.sleep(1.0)
            calm = busy_share(before, psutil.cpu_times()) < self.refill_busy_share
            quiet = quiet + 1 if calm else 0
            if quiet >= self.refill_quiet_seconds:
                return

    def notify_connect(self, kernel_id: str) -> None:
        self._ever_connected.add(kernel_id)
        super().notify_connect(kernel_id)

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        if kernel_id in self._ever_connected or kernel_id not in self._kernels:
            await ensure_async(super().cull_kernel_if_idle(kernel_id))
            return
        kernel = self._kernels[kernel_id]
        if getattr(kernel, "execution_state", None) == "busy" and not self.cull_busy:
            return  # e.g. a preheated kernel waiting in wait_for_request()
        last = getattr(kernel, "last_activity", None)
        if getattr(kernel, "execution_state", None) == "dead" or last is None:
            await ensure_async(super().cull_kernel_if_idle(kernel_id))
            return
        from jupyter_server._tz import utcnow

        waited = utcnow() - last
        if waited > timedelta(seconds=self.cull_unconnected_timeout):
            self.log.warning("Culling kernel %s: no page connected within %s", kernel_id, waited)
            await ensure_async(self.shutdown_kernel(kernel_id))

    async def _async_shutdown_kernel(self, kernel_id: str, *args: object, **kwargs: object) -> None:
        self._ever_connected.discard(kernel_id)
        await super()._async_shutdown_kernel(kernel_id, *args, **kwargs)

    shutdown_kernel = _async_shutdown_kernel


def busy_share(before: Any, after: Any) -> float:
    """The share of CPU time between two `psutil.cpu_times()` that was not idle."""
    idle = (after.idle - before.idle) + (
        getattr(after, "iowait", 0.0) - getattr(before, "iowait", 0.0)
    )
    total = sum(after) - sum(before)
    return 1.0 - idle / total if total > 0 else 0.0
