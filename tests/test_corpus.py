"""The 217 upstream Argo examples are valid: no internal error, and the only error-severity
diagnostic, whichever rules exist, is a real mistake: the duplicated `metadata.annotations`
key in k8s-patch-json-workflow.yaml. Two Workflows have no name (fun-with-gifs.yaml indents
`generateName` under `labels`, k8s-jobs.yaml has its `name:` inside an annotation's text):
Argo's validator accepts them and `argo submit --generate-name` names them, so they get a
warning. (Warnings from opinionated rules are fine.)"""

from __future__ import annotations

import os

from helpers import lint

from argolint.diagnostics import Severity


def test_corpus_has_no_false_error(corpus):
    found = lint(corpus)
    errors = [f"{os.path.relpath(d.file, corpus)}:{d.line}:{d.column}: {d.rule}: {d.message}"
              for d in found if d.severity == Severity.ERROR]
    assert errors == ["k8s-patch-json-workflow.yaml:13:3: duplicate-key: key 'annotations' is given twice in this "
                      "mapping; the first is on line 6"]


def test_every_corpus_file_is_loaded(corpus):
    from argolint.load.loader import read_file

    paths = [os.path.join(root, name) for root, _, names in os.walk(corpus) for name in names
             if name.endswith((".yaml", ".yml", ".json"))]
    assert len(paths) == 217
    for path in paths:
        loaded = read_file(path)
        assert loaded.documents and all(d.data is not None for d in loaded.documents), path
        assert [d.rule for d in loaded.diagnostics] in ([], ["duplicate-key"]), path
