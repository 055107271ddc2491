"""Stage 6, lint: one walk per document calling the rules, suppressions, the run over paths."""
