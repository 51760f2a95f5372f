"""Voilà's kernel manager for many users: cull a closed tab's kernel fast, a slow page's never.

A kernel whose browser connected and then left (a closed tab) is culled after
`cull_idle_timeout` (40 s in `helsetilbud serve`). A kernel that no browser has connected to
yet is a page still on its way under load: it gets `cull_unconnected_timeout` (5 minutes)
before it counts as abandoned. Used by `helsetilbud serve` through
`VoilaConfiguration.multi_kernel_manager_class`.
"""

from __future__ import annotations

from datetime import timedelta

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from jupyter_server.utils import ensure_async
from traitlets import Integer

__all__ = ["PageKernelManager"]


class PageKernelManager(AsyncMappingKernelManager):
    """AsyncMappingKernelManager that never culls a kernel before its page has connected."""

    cull_unconnected_timeout = Integer(
        300,
        config=True,
        help="Seconds of inactivity before a kernel no browser ever connected to is culled.",
    )

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._ever_connected: set[str] = set()

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
