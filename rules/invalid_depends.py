from argolint.diagnostics import Finding
from argolint.rules.base import Rule, suggest


def _uses_depends(task) -> bool:
    return bool(task.depends and task.depends.strip())


def _label(task) -> str:
    """How a message names a task: by its name, else by its place in the list."""
    return f"task '{task.name}'" if task.name is not None else f"task #{task.path[-1] + 1}"


def _has_result(refs) -> bool:
    """Whether a reference is written `name.Result` (most `depends` are bare names); the
    TaskResults of a parse, so that most DAGs never make their DependencyRefs."""
    for ref in refs:
        if ref.result is not None:
            return True
    return False


def _depends_hint(dependencies) -> str:
    names = [d for d in dependencies if isinstance(d, str)]
    return f'write it as depends: "{" && ".join(names)}"' if names else "use depends in every task of this DAG"


def _fold_edits(document, task) -> tuple:
    """The unsafe edit turning a task's `dependencies: [a, b]` into `depends: "a && b"`, or
    adding them to its own `depends` (`(x || y) && a && b`), in one replacement."""
    from argolint.diagnostics import Edit
    from argolint.load.text_edits import quote

    names = [d for d in task.dependencies if isinstance(d, str)]
    listed = document.nodes.get(task.path + ("dependencies",))
    if not names or listed is None or listed.key_start is None:
        return ()
    src = listed.source
    title = "Fold dependencies into depends"
    own = document.nodes.get(task.path + ("depends",)) if _uses_depends(task) else None
    if own is None:
        entry = "depends: " + quote(" && ".join(names), '"')
        return (Edit(src.span(listed.key_start, listed.end), entry, title),)
    old = task.depends.strip()
    expression = " && ".join([old if "||" not in old else f"({old})"] + names)
    raw = src.text[own.start:own.end]
    value = quote(expression, "'" if raw.startswith("'") else '"')
    entries = sorted((info.key_start, info.end) for key, info in document.nodes.items()
                     if len(key) == len(task.path) + 1 and key[:-1] == task.path and info.key_start is not None)
    at = entries.index((listed.key_start, listed.end))
    if listed.key_start < own.key_start:  # drop `dependencies` up to the next key, then rewrite depends
        start, end = listed.key_start, own.end
        text = src.text[entries[at + 1][0]:own.start] + value
    else:  # rewrite depends, then drop `dependencies` from the end of the entry before it
        start, end = own.start, listed.end
        text = value + src.text[own.end:entries[at - 1][1]]
    return (Edit(src.span(start, end), text, title),)


class InvalidDepends(Rule):
    """A `depends` expression that does not parse or cannot mean what it says.

    ## What it does
    Parses every task's `depends` (task names and `task.Result`s combined with `&&`, `||`,
    `!` and parentheses) and reports: a syntax error, at its column; a result that is not
    one of Succeeded, Failed, Errored, Skipped, Omitted, Daemoned, AnySucceeded, AllFailed;
    `.AnySucceeded` / `.AllFailed` on a task without a loop; `depends` and `dependencies`
    mixed in one DAG; `continueOn` in a DAG that uses `depends`; a task name that begins
    with a digit where Argo forbids it (the DAG uses `depends`, or the task itself uses
    `dependencies`).

    ## Why is this bad?
    `argo lint` only pulls names out of `depends` with a regex, so `A &&` or an unbalanced
    parenthesis pass and the task errors in the cluster when the expression is evaluated.
    A misspelt result is rejected only at submit time, and the other cases are rejected
    one at a time.

    ## Example
    ```yaml
    dag:
      tasks:
      - {name: A, template: work}
      - {name: B, template: cleanup, depends: "A.Succeded || A.Failed"}
    ```

    Use instead:
    ```yaml
    dag:
      tasks:
      - {name: A, template: work}
      - {name: B, template: cleanup, depends: "A.Succeeded || A.Failed"}
    ```
    """

    id = "invalid-depends"

    def check_template(self, ctx, template):
        tasks = template.tasks
        if not tasks:
            return
        from argolint.analysis.graph import dag_analysis

        analysis = dag_analysis(template, ctx)
        uses_depends = analysis.uses_depends
        if uses_depends and analysis.uses_dependencies:
            yield from self._mixed(ctx, tasks)
        task_names = analysis.task_names
        for i, task in enumerate(tasks):
            name = task_names[i]
            if uses_depends and "continueOn" in task.data:
                yield Finding(task.path + ("continueOn",),
                              f"{_label(task)} has continueOn, which a DAG using depends cannot have",
                              hint=f"in the depends of the tasks after it, write '{name}.Failed' or "
                              f"'{name}.Errored' where the failure is acceptable", at="key")
            if name and name[0].isdigit() and (uses_depends or task.dependencies):
                yield Finding(task.path + ("name",),
                              f"task name '{name}' begins with a digit, which Argo rejects in a DAG using "
                              "depends or dependencies", hint="start the name with a letter")
            if analysis.is_bare(i):
                continue  # `A && B`: only its names can be wrong (dangling-dependency)
            parsed = analysis.parsed(i)
            if parsed is not None and (parsed.error is not None or _has_result(parsed.refs)):
                yield from self._expression(analysis, task, parsed, i)

    def _mixed(self, ctx, tasks):
        first = next((t for t in tasks if _uses_depends(t) or t.dependencies), None)
        if first is None:
            return
        style = "depends" if _uses_depends(first) else "dependencies"
        for task in tasks:
            if style == "depends" and task.dependencies:
                yield Finding(task.path + ("dependencies",),
                              f"{_label(task)} uses dependencies but {_label(first)} uses depends; "
                              "one DAG cannot mix them", hint=_depends_hint(task.dependencies), at="key",
                              edits=_fold_edits(ctx.document, task))
            elif style == "dependencies" and _uses_depends(task):
                yield Finding(task.path + ("depends",),
                              f"{_label(task)} uses depends but {_label(first)} uses dependencies; "
                              "one DAG cannot mix them",
                              hint="use depends in every task of this DAG (dependencies: [A, B] is "
                              'depends: "A && B")', at="key")

    def _expression(self, analysis, task, parsed, i):
        from argolint.analysis.templating.depends import ITEM_RESULTS, RESULTS

        path = task.path + ("depends",)
        if parsed.error is not None:
            error = parsed.error
            yield Finding(path, error.message, hint=error.hint, start=error.span[0], end=error.span[1])
        for ref in analysis.refs[i]:
            if ref.result is None:
                continue
            if ref.result == "":
                yield Finding(path, f"'{ref.name}.' has no result after the dot",
                              hint=f"one of {', '.join(RESULTS)}", start=ref.end, end=ref.end + 1)
            elif ref.result not in RESULTS:
                fix = suggest(ref.result, RESULTS)
                if fix["hint"] is None:
                    fix["hint"] = f"one of {', '.join(RESULTS)}"
                yield Finding(path, f"'{ref.result}' is not a task result (in '{ref.name}.{ref.result}')",
                              **fix, start=ref.result_start, end=ref.result_end)
            elif ref.result in ITEM_RESULTS:
                dependency = analysis.task_named(ref.name)
                if dependency is not None and dependency.loop_key is None:
                    yield Finding(path, f"'{ref.name}.{ref.result}' needs task '{ref.name}' to loop, and it has "
                                  "no withItems, withParam or withSequence",
                                  hint=f"use '{ref.name}.Succeeded'" if ref.result == "AnySucceeded"
                                  else f"use '{ref.name}.Failed'", start=ref.result_start, end=ref.result_end)

