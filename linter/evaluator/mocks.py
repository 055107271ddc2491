"""What leaves "do" in a dry run: mocked outcomes keyed by step/task name.

A mock file is YAML or JSON, a mapping from a name to an outcome:

    generate-parameter:                 # a step or task name (display name)
      parameters: {hello-param: hello world}
    flip-coin:
      result: heads                     # stdout (one trailing newline is dropped, like Argo)
    flaky:
      attempts:                         # per retry attempt (the last one repeats)
      - {phase: Failed, exitCode: 2}
      - {phase: Succeeded}
    slow:
      duration: 3                       # ticks of one second (a suspend node: until it is resumed)

Outcome fields: `result`, `parameters` (name: value), `exitCode` (non-zero fails the
node), `phase` (Succeeded, Failed, Error), `message`, `duration`, and `attempts` (a list of
outcomes). A `null` result or parameter is no mock: the value stays unknown (that is what
`--mock-skeleton` writes for you to fill in).

Keys, one example each:

    flip-coin: {result: heads}          # a step or task, every time it runs
    "flaky(0)": {exitCode: 1}           # one retry attempt (`flaky(1)` the next one)
    "loop(0:a)": {exitCode: 1}          # one loop iteration (`name(index:item)`)
    "*[1].tails[0].flip-coin":          # a full node name; `*` matches anything
      result: heads
    whalesay: {result: hi}              # a workflow that is one template: its template name
    "step-a.onExit": {phase: Failed}    # a step's exit hook (`.hooks.NAME` a named hook)
    "onExit": {exitCode: 1}             # the workflow's exit handler (or `WF.onExit`)

A key is matched against a node's full name, its display name, and its step/task name
without the loop suffix; the first key that matches (in file order) wins. A key that names
no step, task, template or hook of the files is rejected (with a did-you-mean); one that
matches no node of this run is warned about. `--fail NAME` makes matching nodes fail with
exit code 1.

Values no mock gives are inferred when the container certainly writes them: a command that
only runs `echo` / `printf` (with `>` / `>>` redirections; `sh -c`, a shell script
template, or echo run directly) gives its stdout as `outputs.result` and the files it
writes as `valueFrom.path` parameters, marked `(inferred)`. A mock always wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Optional

from argolint.evaluator.values import as_text

FIELDS = ("result", "parameters", "exitCode", "phase", "message", "duration", "attempts")
PHASES = ("Succeeded", "Failed", "Error")


class MockError(Exception):
    """A mock file that cannot be used; the message says where and why."""


@dataclass
class Outcome:
    result: Optional[str] = None
    parameters: dict = field(default_factory=dict)
    exit_code: Optional[str] = None
    phase: Optional[str] = None
    message: Optional[str] = None
    duration: Optional[int] = None
    mocked: bool = False

    def merged(self, other: "Outcome") -> "Outcome":
        """This outcome with the fields `other` sets replaced."""
        return Outcome(
            other.result if other.result is not None else self.result,
            {**self.parameters, **other.parameters},
            other.exit_code if other.exit_code is not None else self.exit_code,
            other.phase if other.phase is not None else self.phase,
            other.message if other.message is not None else self.message,
            other.duration if other.duration is not None else self.duration,
            True,
        )


def _pattern(key: str):
    return re.compile(".*".join(re.escape(part) for part in key.split("*")) + r"\Z", re.S)


def _outcome(value: Any, where: str, allow_attempts: bool = True) -> tuple[Outcome, list]:
    if value is None:
        return Outcome(mocked=True), []
    if not isinstance(value, dict):
        raise MockError(f"{where}: expected a mapping of {', '.join(FIELDS)}, got {type(value).__name__}")
    unknown = [k for k in value if k not in FIELDS or (k == "attempts" and not allow_attempts)]
    if unknown:
        raise MockError(f"{where}: unknown field '{unknown[0]}' (fields: {', '.join(FIELDS)})")
    outcome = Outcome(mocked=True)
    if "result" in value:
        # null (as --mock-skeleton writes) leaves the output unknown
        outcome.result = as_text(value["result"])
    if "parameters" in value:
        params = value["parameters"]
        if not isinstance(params, dict):
            raise MockError(f"{where}.parameters: expected a mapping of name: value")
        outcome.parameters = {str(k): as_text(v) for k, v in params.items() if v is not None}
    if "exitCode" in value:
        code = value["exitCode"]
        if isinstance(code, bool) or not isinstance(code, (int, str)) or not str(code).lstrip("-").isdigit():
            raise MockError(f"{where}.exitCode: expected a number, got {code!r}")
        outcome.exit_code = str(int(code))
    if "phase" in value:
        if value["phase"] not in PHASES:
            raise MockError(f"{where}.phase: expected one of {', '.join(PHASES)}, got {value['phase']!r}")
        outcome.phase = value["phase"]
    if "message" in value:
        outcome.message = as_text(value["message"])
    if "duration" in value:
        duration = value["duration"]
        if isinstance(duration, bool) or not isinstance(duration, int) or duration < 0:
            raise MockError(f"{where}.duration: expected a number of ticks (0 or more), got {duration!r}")
        outcome.duration = duration
    attempts = []
    if "attempts" in value:
        items = value["attempts"]
        if not isinstance(items, list) or not items:
            raise MockError(f"{where}.attempts: expected a non-empty list of outcomes")
        attempts = [_outcome(item, f"{where}.attempts[{i}]", False)[0] for i, item in enumerate(items)]
    return outcome, attempts


class Mocks:
    """Outcomes by name pattern, in file order, and the `--fail` patterns."""

    def __init__(self, data: Any = None, fail: tuple = ()):
        self.entries: list = []  # (key, pattern, Outcome, attempts)
        if data is not None:
            if not isinstance(data, dict):
                raise MockError("a mock file is a mapping from step/task names to outcomes")
            for key, value in data.items():
                outcome, attempts = _outcome(value, str(key))
                self.entries.append((str(key), _pattern(str(key)), outcome, attempts))
        self.fail = [(name, _pattern(name)) for name in fail]
        self.used: set = set()

    def __bool__(self) -> bool:
        return bool(self.entries or self.fail)

    def outcome(self, names: tuple, attempt: Optional[int] = None) -> Optional[Outcome]:
        """The outcome for a node known by `names` (full name, display name, base name)."""
        found: Optional[Outcome] = None
        for key, pattern, outcome, attempts in self.entries:
            if any(pattern.match(n) for n in names if n):
                self.used.add(key)
                found = outcome
                if attempt is not None and attempts:
                    found = outcome.merged(attempts[min(attempt, len(attempts) - 1)])
                break
        for name, pattern in self.fail:
            if any(pattern.match(n) for n in names if n):
                self.used.add(name)
                failing = Outcome(phase="Failed", exit_code="1", mocked=True)
                found = found.merged(failing) if found is not None else failing
                break
        return found

    def unused(self) -> list:
        return [key for key, *_ in self.entries if key not in self.used] + \
            [name for name, _ in self.fail if name not in self.used]


def load_mocks(path: Optional[str], fail: tuple = ()) -> Mocks:
    if path is None:
        return Mocks(None, fail)
    from argolint.load.loader import read_data_file

    documents, problems = read_data_file(path)
    problems = [d for d in problems if d.severity.value == "error"]
    if problems:
        first = problems[0]
        raise MockError(f"{path}:{first.line}:{first.column}: {first.message}")
    if len(documents) > 1:
        raise MockError(f"{path}: expected one YAML document, found {len(documents)}")
    try:
        return Mocks(documents[0] if documents else {}, fail)
    except MockError as exc:
        raise MockError(f"{path}: {exc}") from None
