"""Properties of the fix loop, on the upstream examples and on copies with typos made by
hypothesis: afterwards no diagnostic has a fix left to apply, the data is the same except
where a fix applied, and fixing again changes nothing."""

from __future__ import annotations

import os
import pathlib

from conftest import CORPUS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from argolint.cli.fix import MAX_PASSES, run_fixes
from argolint.config import Config
from argolint.diagnostics import json_pointer
from argolint.lint.fix import apply_edits, edits_by_file
from argolint.load.loader import load_bytes

EXAMPLES = sorted(os.path.join(CORPUS, f) for f in os.listdir(CORPUS) if f.endswith(".yaml"))


def _leaves(data, pointer=""):
    """JSON pointer -> scalar for every leaf of `data`."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, pointer + json_pointer((key,)))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _leaves(value, f"{pointer}/{i}")
    else:
        yield pointer, data


def _documents(data: bytes) -> list:
    return [dict(_leaves(doc.data)) for doc in load_bytes(data, "x.yaml").documents]


def _covered(pointer: str, fixes) -> bool:
    """Whether a fix may have changed what `pointer` holds: it is at or under a fixed path,
    or under the renamed key of one."""
    for d in fixes:
        fixed = d.path or ""
        renamed = fixed.rsplit("/", 1)[0] + json_pointer((d.suggestion,)) if d.suggestion else None
        if pointer == fixed or pointer.startswith(fixed + "/") or \
                (renamed and (pointer == renamed or pointer.startswith(renamed + "/"))):
            return True
    return False


def _check(paths, unsafe: bool):
    """Fix `paths` in memory and check the three properties; the FixRun."""
    run = run_fixes(paths, Config(), [], "-", unsafe)
    left = edits_by_file(run.result.diagnostics, unsafe)
    assert not left or run.fixed >= MAX_PASSES  # nothing a fix covers is left...
    for path, edits in left.items():  # ...so fixing again would change nothing
        assert apply_edits(run.after.get(path) or pathlib.Path(path).read_bytes(), edits)[1] == []
    for path in run.changed:
        before, after = _documents(run.before[path]), _documents(run.after[path])
        assert len(before) == len(after), path
        for index, (old, new) in enumerate(zip(before, after)):
            fixes = [d for d in run.applied if d.file == path and d.document == index]
            changed = {p for p in old.keys() | new.keys() if old.get(p, ()) != new.get(p, ())}
            assert all(_covered(p, fixes) for p in changed), (path, index, sorted(changed))
    return run


def test_the_upstream_examples_keep_their_data_and_fixing_twice_changes_nothing():
    assert _check([CORPUS], unsafe=False).changed == []  # valid Argo: nothing certain to fix
    run = _check([CORPUS], unsafe=True)  # serviceAccountName inserted into most of them
    assert len(run.changed) > 100


_TYPOS = st.sampled_from(["swap", "drop", "double"])


def _typo(word: str, how: str, at: int) -> str:
    at %= max(1, len(word) - 1)
    if how == "swap" and len(word) > 2:
        return word[:at] + word[at + 1] + word[at] + word[at + 2:]
    if how == "drop" and len(word) > 3:
        return word[:at] + word[at + 1:]
    return word[:at] + word[at] + word[at:]


def _names(text: str) -> list:
    """Plain keys and template / dependency names of a manifest: the words typos hit."""
    loaded = load_bytes(text.encode(), "x.yaml")
    found = []
    for doc in loaded.documents:
        for path, info in doc.nodes.items():
            if not path or not isinstance(path[-1], str) or info.key_start is None:
                continue
            key = text[info.key_start:info.key_end]
            if key.isidentifier():
                found.append((info.key_start, info.key_end))
            value = doc.get(path)
            if path[-1] in ("template", "entrypoint", "depends") and info.style == "" and isinstance(value, str):
                found.append((info.start, info.end))
    return sorted(set(found))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(example=st.sampled_from(EXAMPLES), pick=st.integers(0, 10_000), how=_TYPOS, at=st.integers(0, 50),
       crlf=st.booleans())
def test_typos_in_the_examples_are_fixed_without_touching_anything_else(tmp_path, example, pick, how, at, crlf):
    with open(example, encoding="utf-8") as fh:
        text = fh.read()
    names = _names(text)
    if not names:
        return
    start, end = names[pick % len(names)]
    mutated = text[:start] + _typo(text[start:end], how, at) + text[end:]
    path = tmp_path / f"mutated-{pick}.yaml"
    path.write_bytes((mutated.replace("\n", "\r\n") if crlf else mutated).encode())
    run = _check([str(path)], unsafe=False)
    if run.changed:
        path.write_bytes(run.after[str(path)])
        assert run_fixes([str(path)], Config(), [], "-", False).changed == []
