"""When the language server collects garbage: between typing bursts, not in the middle of
a lint.

With the collector on, a lint of a 5,000-line manifest now and then set off a full
collection over everything the server holds (the workspace index, every open buffer's
parse), adding tens of milliseconds to that edit's diagnostics: the slow tail of the
edit-to-diagnostics latency. So the automatic collector is off in the server; what a lint
leaves behind is mostly freed by reference counting at once, and the rest (the cycles of
a replaced parse: documents point at their file and back) is collected here, once no
lint has finished for `IDLE_SECONDS`, or right after the diagnostics are published should
it pile up past `MAX_PENDING` allocations, which bounds the memory it can hold (an edit of
a 5,000-line manifest leaves about 23,000 objects and 3.6 MiB in cycles: some 20 edits of
non-stop typing, about 75 MiB, between collections)."""

from __future__ import annotations

import asyncio
import gc
from typing import Optional

IDLE_SECONDS = 1.0
MAX_PENDING = 500_000  # net allocations of container objects since the last collection


class IdleCollector:
    def __init__(self):
        self._timer: Optional[asyncio.TimerHandle] = None

    def take_over(self) -> None:
        """Turn the automatic collector off for good: `argolint lsp` only (a process of its
        own), not a server made in another program's process (the tests)."""
        gc.disable()

    def lint_done(self) -> None:
        """Call on the event loop after each lint, before its diagnostics are published:
        (re)arms the idle collection, or collects once they are out (a callback due now
        runs after the publishing code that follows the lint on the loop)."""
        if self._timer is not None:
            self._timer.cancel()
        loop = asyncio.get_running_loop()
        if gc.get_count()[0] > MAX_PENDING:
            self._timer = loop.call_later(0, self.collect)
        else:
            self._timer = loop.call_later(IDLE_SECONDS, self.collect)

    def collect(self) -> None:
        self._timer = None
        gc.collect()
