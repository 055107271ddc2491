"""`.gitignore` files made of name patterns (`build/`, `*.egg-info/`) are matched without
pathspec, exactly as pathspec matches them; any other file goes to pathspec."""

from __future__ import annotations

import subprocess
import sys

import pathspec
from hypothesis import given, settings
from hypothesis import strategies as st

from argolint.load.gitignore import GitPatterns, NamePatterns, read_gitignore

NAME = st.text(alphabet="ab.*-_~", min_size=1, max_size=5)
PATTERN = st.tuples(NAME, st.booleans()).map(lambda p: p[0] + ("/" if p[1] else ""))
LINE = st.one_of(PATTERN, st.sampled_from(["", "# a comment", "build/", "*.pyc", "dist", ".venv/"]))
PATH = st.lists(st.text(alphabet="ab.*-_~/ \n", min_size=0, max_size=4), min_size=1, max_size=4).map("/".join)


def _write(tmp_path, lines):
    path = tmp_path / ".gitignore"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return str(path)


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(LINE, max_size=6), paths=st.lists(PATH, min_size=1, max_size=10))
def test_name_patterns_match_as_pathspec_does(tmp_path_factory, lines, paths):
    path = _write(tmp_path_factory.mktemp("repo"), lines)
    ours = read_gitignore(path)
    with open(path, encoding="utf-8") as fh:
        theirs = pathspec.GitIgnoreSpec.from_lines(fh)
    for rel in paths:
        for candidate in (rel, rel + "/"):
            assert ours.includes(candidate) == theirs.check_file(candidate).include, (lines, candidate)


def test_plain_names_do_not_import_pathspec(tmp_path):
    path = _write(tmp_path, ["# build products", "build/", "*.egg-info/", ".venv", "", "dist"])
    code = ("import sys; from argolint.load.gitignore import read_gitignore;"
            f"m = read_gitignore({path!r});"
            "print(type(m).__name__, m.includes('x/build/a.yaml'), m.includes('a.egg-info/'), m.includes('build'),"
            " 'pathspec' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.split() == ["NamePatterns", "True", "True", "None", "False"]


def test_other_patterns_go_to_pathspec(tmp_path):
    for line in ("!keep.yaml", "k8s/rbac.yaml", "/top", "a/**/b", "file?.yaml", "[ab].yaml", "*", "**/",
                 " spaced", "back\\slash"):
        matcher = read_gitignore(_write(tmp_path, ["build/", line]))
        assert isinstance(matcher, GitPatterns), line
    negated = read_gitignore(_write(tmp_path, ["*.tmp.yaml", "!keep.tmp.yaml"]))
    assert (negated.includes("x.tmp.yaml"), negated.includes("keep.tmp.yaml")) == (True, False)
    assert isinstance(read_gitignore(_write(tmp_path, ["# only a comment", ""])), NamePatterns)
