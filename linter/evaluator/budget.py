"""How much work, memory and time one dry run may spend.

Node, loop, depth and tick limits (`Limits`) bound what the simulated workflow does, but
not the work behind it: a template that calls itself twice per level makes few nodes and
exponential work, strings doubling through a chain of templates make few nodes and
gigabytes, `map(1..100000, map(1..100000, #))` makes no node at all. The budget counts the
work itself, in deterministic units (expression steps, template executions, characters
substituted), and the wall clock as a last resort (`--timeout`); exceeding any of them
stops the run with a message that names the limit and the node being worked on.

The run in progress installs its budget with `spending(budget)`; the expression
interpreter and the substituter charge the active one (no budget: nothing is counted, as
for the linter's own uses of the interpreter).
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator, Optional

from argolint.evaluator.core import Stop

MAX_VALUE_CHARS = 1 << 20  # one substituted string (as an expression's strings: exprlang.MAX_STRING)


@dataclass
class Budget:
    max_steps: int = 1_000_000  # expression nodes evaluated plus templates executed
    max_value_chars: int = MAX_VALUE_CHARS
    max_total_chars: int = 256 << 20  # all strings substituted during the run
    timeout: Optional[float] = 60.0  # seconds of wall clock; None: no limit

    def __post_init__(self):
        self.steps = 0
        self.chars = 0
        self.node: Optional[str] = None  # the node being worked on, for the message
        self._deadline = time.monotonic() + self.timeout if self.timeout is not None else None

    def step(self, count: int = 1) -> None:
        self.steps += count
        if self.steps > self.max_steps:
            self._stop(f"the dry run's budget of {self.max_steps:,} evaluation steps is spent (expressions "
                       "looping over large lists inside one another?)")
        if self._deadline is not None and self.steps & 0x3FF == 0 and time.monotonic() > self._deadline:
            self._out_of_time()

    def value(self, length: int) -> None:
        """Charge one substituted string of `length` characters."""
        if length > self.max_value_chars:
            self._stop(f"a substituted value of {length:,} characters is over the dry run's limit of "
                       f"{self.max_value_chars:,} per value (values doubling through a chain of templates?)")
        self.chars += length
        if self.chars > self.max_total_chars:
            self._stop(f"the run substituted over {self.max_total_chars:,} characters in all, the dry run's limit")
        self.step()

    def values(self, lengths: list) -> None:
        """`value` for each of `lengths` in turn: a DAG's inert pass charges one per task, so
        the list is checked at once when no limit can be reached in it."""
        if len(lengths) > 1 and self.values_at_once(len(lengths), sum(lengths), max(lengths)):
            return
        for length in lengths:
            self.value(length)

    def values_at_once(self, count: int, total: int, longest: int) -> bool:
        """Charge `count` strings of `total` characters, none over `longest`, as `value` would
        one by one, when no limit can be reached on the way; else charge nothing: False."""
        if self.steps + count > self.max_steps or longest > self.max_value_chars or \
                self.chars + total > self.max_total_chars:
            return False
        before = self.steps
        self.chars += total
        self.steps += count
        # `step` looks at the clock when the count passes a multiple of 1024
        if self._deadline is not None and before >> 10 != self.steps >> 10 and time.monotonic() > self._deadline:
            self._out_of_time()
        return True

    def _out_of_time(self):
        self._stop(f"the dry run took longer than --timeout {self.timeout:g} seconds")

    def _stop(self, why: str):
        where = f" at node '{self.node}'" if self.node else ""
        raise Stop(f"dry run stopped{where}: {why}")


_ACTIVE: list = []


@contextmanager
def spending(budget: Budget) -> Iterator[Budget]:
    _ACTIVE.append(budget)
    try:
        yield budget
    finally:
        _ACTIVE.pop()


def active() -> Optional[Budget]:
    return _ACTIVE[-1] if _ACTIVE else None
