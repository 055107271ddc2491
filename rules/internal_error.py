from argolint.rules.base import Rule


class InternalError(Rule):
    """argolint itself failed on this input (a bug).

    ## What it does
    When a rule raises an exception, argolint reports it here, naming the rule and the
    file, runs every other rule and file, and exits with code 3.

    ## Why is this bad?
    It is not a problem in your manifest: it is a bug in argolint. Please report it with
    the file that triggered it.

    ## Example
    Any input that makes a rule crash.

    Use instead:
    Report the bug; `--ignore` the named rule meanwhile.
    """

    id = "internal-error"
    reported_by = "engine"
