from argolint.diagnostics import Finding
from argolint.rules._pod_templates import templates_setting, as_dict, as_list, label
from argolint.rules.base import Rule, did_you_mean, quoted_list



class InvalidContainerSet(Rule):
    """A containerSet with no containers, a bad dependency, or no `main` for its inputs and outputs.

    ## What it does
    Checks a `containerSet` template: `containers` is not empty; every name in a
    container's `dependencies` is a container of the set; the dependencies have no cycle;
    and a template with input artifacts, output parameters or output artifacts has a
    container named `main` (Argo loads inputs and collects outputs through it).

    ## Why is this bad?
    Argo rejects the workflow when it is submitted ("dependency 'biuld' not defined",
    "dependency cycle detected", "must have a container named \\"main\\" for input or
    output"); a cycle would leave every container of it waiting forever.

    ## Example
    Containers renamed without their dependents:
    ```yaml
    containerSet:
      containers:
      - {name: build, image: golang:1.23, command: [go, build, ./...]}
      - {name: test, image: golang:1.23, command: [go, test, ./...], dependencies: [compile]}
    outputs:
      parameters:
      - {name: report, valueFrom: {path: /tmp/report.txt}}
    ```

    Use instead:
    ```yaml
    containerSet:
      containers:
      - {name: build, image: golang:1.23, command: [go, build, ./...]}
      - {name: main, image: golang:1.23, command: [go, test, ./...], dependencies: [build]}
    ```
    """

    id = "invalid-container-set"

    def check_document(self, ctx):
        for template in templates_setting(ctx, "containerSet"):
            yield from self._template(ctx, template)

    def _template(self, ctx, template):
        container_set = template.data.get("containerSet")
        if not isinstance(container_set, dict):
            return
        path = template.path + ("containerSet", "containers")
        containers = container_set.get("containers")
        if isinstance(containers, list) and not containers:
            yield Finding(path, f"the containerSet of {label(template)} has no containers",
                          hint="add at least one container under `containers:`")
            return
        named = {}  # name -> index
        for i, container in enumerate(as_list(containers)):
            name = as_dict(container).get("name")
            if isinstance(name, str):
                named.setdefault(name, i)
        yield from _undefined(template, path, containers, named)
        yield from _cycles(template, path, containers, named)
        if "main" not in named and isinstance(containers, list) and _has_inputs_or_outputs(template.data):
            yield Finding(path, f"the containerSet of {label(template)} has input or output artifacts or output "
                          "parameters but no container named 'main': Argo reads them through 'main'",
                          hint="name the container that reads the inputs and writes the outputs 'main'", at="key")


def _dependencies(container):
    """(index, name) of the string entries of a container's `dependencies`."""
    return [(j, d) for j, d in enumerate(as_list(as_dict(container).get("dependencies"))) if isinstance(d, str)]


def _undefined(template, path, containers, named):
    for i, container in enumerate(as_list(containers)):
        for j, dependency in _dependencies(container):
            if dependency not in named:
                yield Finding(path + (i, "dependencies", j),
                              f"container dependency '{dependency}' is not a container of the containerSet of "
                              f"{label(template)}",
                              hint=did_you_mean(dependency, named) or f"its containers are {quoted_list(named)}")


def _cycles(template, path, containers, named):
    """Each dependency cycle once, at the dependency that closes it (a depth-first search)."""
    edges = {name: [(j, d) for j, d in _dependencies(containers[i]) if d in named] for name, i in named.items()}
    state: dict = {}  # name -> "active" while on the stack, "done" after
    reported = set()
    for root in named:
        if root in state:
            continue
        stack = [(root, iter(edges[root]))]
        trail = [root]
        state[root] = "active"
        while stack:
            node, successors = stack[-1]
            step = next(successors, None)
            if step is None:
                stack.pop()
                trail.pop()
                state[node] = "done"
                continue
            j, successor = step
            if state.get(successor) == "active":
                cycle = trail[trail.index(successor):] + [successor]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    yield Finding(path + (named[node], "dependencies", j),
                                  f"containers of {label(template)} depend on each other in a cycle: "
                                  f"{' -> '.join(cycle)} (each waits for the next)",
                                  hint="remove one of these dependencies")
            elif successor not in state:
                state[successor] = "active"
                trail.append(successor)
                stack.append((successor, iter(edges[successor])))


def _has_inputs_or_outputs(data):
    inputs, outputs = as_dict(data.get("inputs")), as_dict(data.get("outputs"))
    return bool(as_list(inputs.get("artifacts")) or as_list(outputs.get("parameters"))
                or as_list(outputs.get("artifacts")))
