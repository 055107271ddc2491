from argolint.diagnostics import Finding
from argolint.model import LOOP_KEYS
from argolint.rules._calls import call_label, calls_of
from argolint.rules.base import Rule


class InvalidLoop(Rule):
    """A step or task with two loops, or a `withSequence` with both `count` and `end`.

    ## What it does
    Checks that a step or DAG task sets at most one of `withItems`, `withParam` and
    `withSequence`, and that a `withSequence` gives either `count` or `end`, not both.

    ## Why is this bad?
    Argo rejects the workflow when it is submitted ("only one of withItems, withParam,
    withSequence can be specified", "only one of count or end can be defined in
    withSequence"). Two loops usually mean a list was pasted in while the old `withParam`
    stayed behind.

    ## Example
    ```yaml
    - name: resize
      template: resize
      withParam: "{{steps.list.outputs.result}}"
      withItems: [small.png, large.png]
    ```

    Use instead:
    ```yaml
    - name: resize
      template: resize
      withParam: "{{steps.list.outputs.result}}"
    ```
    """

    id = "invalid-loop"

    def check_template(self, ctx, template):
        for noun, call in calls_of(template):
            data = call.data
            if "withItems" in data or "withParam" in data or "withSequence" in data:
                yield from self._loops(call, noun)

    def _loops(self, call, noun):
        data = call.data
        label = call_label(noun, call)
        loops = [k for k in data if k in LOOP_KEYS]  # as written: the later ones are the extra
        for extra in loops[1:]:
            yield Finding(call.path + (extra,), f"{label} has both {loops[0]} and {extra}: a {noun} loops over "
                          "exactly one of withItems, withParam and withSequence", hint=f"keep one of "
                          f"{', '.join(loops)}", at="key")
        sequence = data.get("withSequence")
        if isinstance(sequence, dict) and "count" in sequence and "end" in sequence:
            yield Finding(call.path + ("withSequence", "end"), f"the withSequence of {label} has both count and "
                          "end; give one (count items from start, or start to end)",
                          hint="remove count or end", at="key")
