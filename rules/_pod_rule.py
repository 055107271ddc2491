"""The base of the rules that judge the effective pod of each template."""

from __future__ import annotations

from argolint.rules.base import Rule


class PodRule(Rule):
    """A rule over `argolint.analysis.pods`: `check_pods(pods, strict)` yields its findings
    for every pod of the document (`strict`: the Restricted profile is configured), and a
    setting the workflow gives all pods is reported once."""

    category = "security"

    def check_document(self, ctx):
        from argolint.analysis.pods import once, pods, restricted

        return once(self.check_pods(pods(ctx), restricted(ctx)))

    def check_pods(self, pods, strict: bool):
        return ()
