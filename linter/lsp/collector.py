"""When the language server collects garbage: between typing bursts, not in the middle of
a lint, and in steps small enough not to hold the next edit up.

With the collector on, a lint of a 5,000-line manifest now and then set off a full
collection over everything the server holds (the workspace index, every open buffer's
parse), adding tens of milliseconds to that edit's diagnostics. So the automatic collector
is off in the server; what a lint leaves behind is mostly freed by reference counting at
once, and the rest (the cycles of a replaced parse and of the lint's analyses: documents
point at their file and back) is collected here.

A collection's cost grows with what it traverses: an edit of a 5,000-line manifest parsed
and linted whole left about 17,000-25,000 objects in cycles (0.6 us each; about 1,000 now
that only the edited document is parsed and linted again), and the server's long-lived
heap (its modules, the workspace index: 85,000 objects and more) costs 35-50 ms per full
collection. Letting 500,000 objects pile up made one collection of 400-450 ms that the
next keystroke waited for (issue 19's slow tail). Hence:

- once the workspace is indexed, what is alive is frozen (`gc.freeze`): later collections
  skip it;
- right after the diagnostics are published, once `MAX_PENDING` allocations are pending
  (about nine edits of one document of a 5,000-line manifest, a dozen of a 300-line
  one), the unfrozen objects are collected: about 20 ms (up to 90 after a burst), done
  before the next keystroke at typing speed;
- once no lint has finished for `IDLE_SECONDS`, everything is unfrozen, collected and
  frozen again, so what was frozen and has since been dropped (a replaced parse of a file
  on disk, the open buffers' parses of the last freeze) is freed too."""

from __future__ import annotations

import asyncio
import gc
from typing import Optional

IDLE_SECONDS = 1.0
MAX_PENDING = 20_000  # net allocations of container objects since the last collection


class IdleCollector:
    def __init__(self):
        self._timer: Optional[asyncio.TimerHandle] = None
        self._owns_process = False

    def take_over(self) -> None:
        """Turn the automatic collector off for good: `argolint lsp` only (a process of its
        own), not a server made in another program's process (the tests), whose objects
        must not be frozen either."""
        gc.disable()
        self._owns_process = True

    def settle(self) -> None:
        """Call once the workspace is indexed (any thread): collect, then freeze what is left."""
        if self._owns_process:
            gc.collect()
            gc.freeze()

    def lint_done(self) -> None:
        """Call on the event loop after each lint, before its diagnostics are published:
        (re)arms the idle collection, or collects the young objects once they are out (a
        callback due now runs after the publishing code that follows the lint on the loop)."""
        if self._timer is not None:
            self._timer.cancel()
        loop = asyncio.get_running_loop()
        if gc.get_count()[0] > MAX_PENDING:
            self._timer = loop.call_later(0, self.collect_unfrozen)
        else:
            self._timer = loop.call_later(IDLE_SECONDS, self.collect)

    def collect_unfrozen(self) -> None:
        # stays armed for the idle collection, which also frees what was frozen
        self._timer = asyncio.get_running_loop().call_later(IDLE_SECONDS, self.collect)
        gc.collect()

    def collect(self) -> None:
        self._timer = None
        if self._owns_process:
            gc.unfreeze()
            gc.collect()
            gc.freeze()
        else:
            gc.collect()
