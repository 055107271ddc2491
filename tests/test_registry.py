"""Every rule is registered once, documented in ruff's sections, and has fixtures."""

from __future__ import annotations

import glob
import importlib
import os
import pkgutil
import re

import argolint.rules as rules_pkg
from argolint.rules import NO_FIXTURES, RULES
from argolint.rules.base import DOC_SECTIONS, Rule
from conftest import FIXTURES


def test_ids_are_unique_kebab_case():
    ids = [r.id for r in RULES] + [a for r in RULES for a in r.aliases]
    assert len(ids) == len(set(ids))
    for rule_id in ids:
        assert re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", rule_id), rule_id


def test_every_rule_module_is_registered():
    registered = {r.__module__ for r in RULES}
    for module in pkgutil.iter_modules(rules_pkg.__path__):
        if module.name == "base" or module.name.startswith("_"):
            continue
        mod = importlib.import_module(f"argolint.rules.{module.name}")
        classes = [c for c in vars(mod).values()
                   if isinstance(c, type) and issubclass(c, Rule) and c.__module__ == mod.__name__ and c.id]
        assert not classes or mod.__name__ in registered, f"{mod.__name__} defines a rule that is not registered"


def test_every_rule_is_documented():
    for rule in RULES:
        doc = rule.doc()
        for section in DOC_SECTIONS:
            assert section in doc, f"{rule.id}: docstring lacks '{section}'"
        assert rule.summary().endswith("."), f"{rule.id}: the first docstring line is its summary sentence"


def test_every_rule_has_fixtures():
    for rule in RULES:
        if rule.id in NO_FIXTURES:
            continue
        folder = os.path.join(FIXTURES, "rules", rule.id)
        passes = glob.glob(os.path.join(folder, "pass-*"))
        fails = [f for f in glob.glob(os.path.join(folder, "fail-*")) if not f.endswith(".expected")]
        assert passes, f"{rule.id}: no pass fixture in fixtures/rules/{rule.id}/"
        assert fails, f"{rule.id}: no fail fixture in fixtures/rules/{rule.id}/"
        for fail in fails:
            assert os.path.exists(os.path.splitext(fail)[0] + ".expected"), f"{fail} has no .expected"


def test_hooked_rules_have_hooks():
    for rule in RULES:
        if rule.reported_by is None:
            assert rule.hooks(), f"{rule.id} reports nothing: no hooks and no reported_by"
        else:
            assert not rule.hooks(), f"{rule.id} is reported by {rule.reported_by} but has hooks"
