"""The reference evaluator behind `argolint dry-run`: simulates the Argo controller offline.

It follows docs `argo-semantics.md`: substitution passes, steps and DAGs, `when`
(govaluate), `{{= }}` (expr-lang), loops, outputs, exit handlers, hooks, retries and
templateRef across files, without running any container. Leaves succeed with mocked or
default outputs (`argolint.evaluator.mocks`). Entry points: `api.evaluate`,
`api.evaluate_text`, and `argolint.cli.dry_run.dry_run_main` for the command line.
"""
