"""Argo's schema (generated from Hera's models by `generate.py`, amended by `overlay.yaml`)
and its validation.

`schema_findings(ctx)` validates a document once and returns its findings by rule id for
the four schema rules (unknown-field, invalid-type, missing-field, invalid-value), caching
the result in `ctx.cache`. Importing this package is cheap; jsonschema and the schema file
are loaded on the first validation.
"""

from __future__ import annotations

CACHE_KEY = "schema"


def schema_findings(ctx) -> dict:
    """{rule id: [Finding]} for the document of `ctx`, computed once per document."""
    result = ctx.cache.get(CACHE_KEY)
    if result is None:
        result = ctx.cache[CACHE_KEY] = _analyse(ctx)
    return result


def _analyse(ctx) -> dict:
    from argolint.schema import kind_checks, messages, template_checks

    doc = ctx.document
    if not doc.is_argo or not isinstance(doc.data, dict):
        return {rule: [] for rule in messages.RULES}
    found = messages.findings(doc.kind, doc.data)
    for rule, finding in template_checks.check(ctx):
        found[rule].append(finding)
    for rule, finding in kind_checks.check(ctx):
        if finding.message is kind_checks.UNNAMED:
            found[rule] = [f for f in found[rule] if not kind_checks.supersedes(rule, f)]
        # A kind-specific finding is more precise than the schema's at the same place.
        found[rule] = [f for f in found[rule] if f.path != finding.path] + [finding]
    return found
