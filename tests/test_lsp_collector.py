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


class _Cycle:
    def __init__(self):
        self.me = self


def test_frozen_start_up_is_skipped_after_publishing_and_freed_when_idle(monkeypatch):
    import weakref

    monkeypatch.setattr(collector, "IDLE_SECONDS", 60)
    idle = IdleCollector()
    try:
        idle.take_over()
        kept = _Cycle()
        idle.settle()  # as after the first index: `kept` is frozen
        gone = weakref.ref(kept)
        del kept

        async def after_publishing():
            idle.collect_unfrozen()  # what a lint leaves is collected, the frozen heap skipped
            assert gone() is not None
            idle.collect()  # no lint for IDLE_SECONDS: the dropped frozen objects go too
            assert gone() is None

        asyncio.run(after_publishing())
    finally:
        gc.unfreeze()
        gc.enable()


def test_a_server_in_another_programs_process_freezes_nothing():
    IdleCollector().settle()
    assert gc.get_freeze_count() == 0
