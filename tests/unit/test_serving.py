"""The kernel manager `helsetilbud serve` gives Voilà: slow pages keep their kernel."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from types import SimpleNamespace

from jupyter_server._tz import utcnow

from helsetilbud.serving import PageKernelManager


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
