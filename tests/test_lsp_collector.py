"""The language server collects garbage between typing bursts (issue 19: GC pauses were the
slow tail of edit-to-diagnostics), and at once, after publishing, when much is pending."""

import asyncio
import gc

from argolint.lsp import collector
from argolint.lsp.collector import IdleCollector


def _collections_during(coroutine) -> int:
    done = []

    def count(phase, info):
        if phase == "stop" and info["generation"] == 2:
            done.append(info)

    gc.callbacks.append(count)
    try:
        asyncio.run(coroutine)
    finally:
        gc.callbacks.remove(count)
    return len(done)


def test_collects_once_typing_pauses(monkeypatch):
    monkeypatch.setattr(collector, "IDLE_SECONDS", 0.05)

    async def typing():
        idle = IdleCollector()
        for _ in range(5):  # edits closer together than the idle time: no collection yet
            idle.lint_done()
            await asyncio.sleep(0.01)
        assert idle._timer is not None
        await asyncio.sleep(0.2)
        assert idle._timer is None

    assert _collections_during(typing()) >= 1


def test_collects_right_after_the_lint_when_much_is_pending(monkeypatch):
    monkeypatch.setattr(collector, "IDLE_SECONDS", 60)
    monkeypatch.setattr(collector, "MAX_PENDING", -1)

    async def one_lint():
        IdleCollector().lint_done()
        await asyncio.sleep(0.05)

    assert _collections_during(one_lint()) == 1
