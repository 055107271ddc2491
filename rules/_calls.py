"""The steps and tasks of a template, for the rules that check each call."""


def calls_of(template):
    """(noun, call) for every step ("step") and task ("task") of `template`. The rules walk
    them from one hook per template, not one per call: DAGs have thousands of tasks; a
    template without `steps` or `dag` is skipped before its calls are built."""
    if "steps" not in template.data and "dag" not in template.data:
        return
    for noun, calls in (("step", template.steps), ("task", template.tasks)):
        for call in calls:
            yield noun, call


def call_label(noun: str, call) -> str:
    """How a message names the call: "step 'x'", or "this task" when it has no name."""
    return f"{noun} '{call.name}'" if call.name else f"this {noun}"
