"""linter/graph.py: DAG ancestry and cycles, the template call graph, and `argolint graph`."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from conftest import SEED
from helpers import run_cli

from argolint.analysis.graph import ancestors, dag_analysis, depends_names, reachable_templates, task_graph
from argolint.load.loader import load_text
from argolint.model import WorkflowSpec


def spec_of(text: str) -> WorkflowSpec:
    return WorkflowSpec.of(load_text(textwrap.dedent(text), "wf.yaml").documents[0])


def dag(tasks: str):
    """The DAG template `main` with these tasks (YAML list items, 6-space indented)."""
    header = textwrap.dedent("""\
        kind: Workflow
        spec:
          templates:
          - name: main
            dag:
              tasks:
        """)
    return spec_of(header + textwrap.indent(textwrap.dedent(tasks), "      ")).template("main")


DIAMOND = """\
- {name: A, template: t}
- {name: B, template: t, dependencies: [A]}
- {name: C, template: t, depends: "A.Succeeded"}
- {name: D, template: t, depends: "B && (C || C.Failed)"}
- {name: E, template: t}
"""


def test_ancestors_follow_dependencies_and_depends():
    template = dag(DIAMOND)
    assert set(ancestors(template, "D")) == {"A", "B", "C"}
    assert set(ancestors(template, "B")) == {"A"}
    assert set(ancestors(template, "A")) == set()
    assert "A" in ancestors(template, "D") and "E" not in ancestors(template, "D")
    assert len(ancestors(template, "D")) == 3
    assert set(ancestors(template, "no-such-task")) == set()


def test_task_graph_is_a_networkx_digraph_with_dangling_names_marked():
    template = dag(DIAMOND + "- {name: F, template: t, dependencies: [Z]}\n")
    g = task_graph(template)
    assert set(g.successors("A")) == {"B", "C"}
    assert set(g.predecessors("D")) == {"B", "C"}
    assert g.nodes["Z"]["known"] is False and g.nodes["A"]["known"] is True


def test_analysis_is_computed_once_per_template_or_per_document_cache():
    template = dag(DIAMOND)
    assert dag_analysis(template) is dag_analysis(template)

    class Ctx:
        cache: dict = {}

    ctx = Ctx()
    assert dag_analysis(template, ctx) is ctx.cache[("dag", template.path)]


def test_ancestors_inside_a_cycle_exclude_the_task_itself():
    template = dag("""\
        - {name: A, template: t, dependencies: [C]}
        - {name: B, template: t, dependencies: [A]}
        - {name: C, template: t, dependencies: [B]}
        - {name: D, template: t, dependencies: [C]}
        """)
    assert set(ancestors(template, "A")) == {"B", "C"}
    assert set(ancestors(template, "D")) == {"A", "B", "C"}


def test_ancestry_of_tasks_listed_before_their_dependencies():
    template = dag("""\
        - {name: D, template: t, depends: "C"}
        - {name: C, template: t, depends: "B && A"}
        - {name: B, template: t, dependencies: [A]}
        - {name: A, template: t}
        """)
    analysis = dag_analysis(template)
    assert analysis.is_ancestor("A", "D") and analysis.is_ancestor("C", "D")
    assert not analysis.is_ancestor("D", "A") and not analysis.is_ancestor("A", "A")


def test_ancestry_in_cycles_and_self_dependencies():
    analysis = dag_analysis(dag("""\
        - {name: A, template: t, dependencies: [B]}
        - {name: B, template: t, dependencies: [A]}
        - {name: C, template: t, dependencies: [C, A]}
        """))
    assert analysis.is_ancestor("A", "B") and analysis.is_ancestor("B", "A")
    assert analysis.is_ancestor("B", "C") and not analysis.is_ancestor("C", "C")


def test_cycles_are_listed_once_in_depends_on_order():
    template = dag("""\
        - {name: A, template: t, dependencies: [B]}
        - {name: B, template: t, dependencies: [A]}
        - {name: C, template: t, dependencies: [C]}
        """)
    cycles = dag_analysis(template).cycles()
    assert [names for names, _ in cycles] == [["A", "B", "A"], ["C", "C"]]
    assert cycles[0][1].path[-2:] == ("dependencies", 0)


def test_depends_names():
    assert depends_names("B.Failed || (A && B.Errored)") == ["B", "A"]


def test_reachable_templates_follow_every_kind_of_call():
    spec = spec_of("""\
        kind: Workflow
        spec:
          entrypoint: main
          onExit: exit
          hooks:
            running: {template: hook, expression: "true"}
          templates:
          - name: main
            steps:
            - - {name: s, template: a, onExit: b}
              - name: i
                inline:
                  dag:
                    tasks:
                    - {name: t, template: c, hooks: {exit: {template: d}}}
          - {name: a, container: {image: x}}
          - {name: b, container: {image: x}}
          - {name: c, container: {image: x}}
          - {name: d, container: {image: x}}
          - {name: exit, container: {image: x}}
          - {name: hook, container: {image: x}}
          - {name: unused, container: {image: x}}
        """)
    assert reachable_templates(spec) == {"main", "a", "b", "c", "d", "exit", "hook"}


def test_a_templated_template_name_makes_reachability_unknown():
    spec = spec_of("""\
        kind: Workflow
        spec:
          entrypoint: main
          templates:
          - name: main
            steps:
            - - {name: s, template: "{{workflow.parameters.which}}"}
        """)
    assert reachable_templates(spec) is None


def test_graph_rules_import_neither_networkx_nor_lark_on_a_clean_dag():
    code = textwrap.dedent(f"""
        import sys
        from argolint.config import Config
        from argolint.lint.runner import build_project, lint_project
        from argolint.rules import RULES
        graph_rules = {{"dag-cycle", "dangling-dependency", "invalid-depends", "unused-template",
                        "infinite-recursion", "unresolved-template-ref", "unknown-template"}}
        rules = [r() for r in RULES if r.id in graph_rules]
        project = build_project([{os.path.join(SEED, "dag-diamond-workflow.yaml")!r}], Config())
        assert not lint_project(project, Config(), rules).diagnostics
        print(sorted(m for m in ("networkx", "lark") if m in sys.modules))
        """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# ------------------------------------------------------------------------- argolint graph


DIAMOND_MERMAID = """\
```mermaid
flowchart TD
  subgraph t1["diamond (DAG)"]
    t1n0["A<br/>echo"]
    t1n1["B<br/>echo"]
    t1n2["C<br/>echo"]
    t1n3["D<br/>echo"]
  end
  t1n0 --> t1n1
  t1n0 --> t1n2
  t1n1 --> t1n3
  t1n2 --> t1n3
```
"""

STEPS_MERMAID = """\
```mermaid
flowchart TD
  subgraph t0["hello-hello-hello (steps)"]
    subgraph t0g0["step group 1"]
      t0s0_0["hello1<br/>whalesay"]
    end
    subgraph t0g1["step group 2"]
      t0s1_0["hello2a<br/>whalesay"]
      t0s1_1["hello2b<br/>whalesay"]
    end
  end
  t0g0 --> t0s1_0
  t0g0 --> t0s1_1
```
"""

DIAMOND_DOT = """\
digraph "dag-diamond-" {
  compound=true;
  node [shape=box];
  subgraph cluster_t1 {
    label="diamond (DAG)";
    t1n0 [label="A\\necho"];
    t1n1 [label="B\\necho"];
    t1n2 [label="C\\necho"];
    t1n3 [label="D\\necho"];
  }
  t1n0 -> t1n1;
  t1n0 -> t1n2;
  t1n1 -> t1n3;
  t1n2 -> t1n3;
}
"""

STEPS_DOT = """\
digraph "steps-" {
  compound=true;
  node [shape=box];
  subgraph cluster_t0 {
    label="hello-hello-hello (steps)";
    subgraph cluster_t0g0 {
      label="step group 1";
      t0s0_0 [label="hello1\\nwhalesay"];
    }
    subgraph cluster_t0g1 {
      label="step group 2";
      t0s1_0 [label="hello2a\\nwhalesay"];
      t0s1_1 [label="hello2b\\nwhalesay"];
    }
  }
  t0s0_0 -> t0s1_0 [ltail=cluster_t0g0];
  t0s0_0 -> t0s1_1 [ltail=cluster_t0g0];
}
"""


@pytest.mark.parametrize("seed, fmt, expected", [
    ("dag-diamond-workflow.yaml", "mermaid", DIAMOND_MERMAID),
    ("steps-workflow.yaml", "mermaid", STEPS_MERMAID),
    ("dag-diamond-workflow.yaml", "dot", DIAMOND_DOT),
    ("steps-workflow.yaml", "dot", STEPS_DOT),
])
def test_graph_of_the_seed_workflows(seed, fmt, expected):
    code, out, err = run_cli("graph", os.path.join(SEED, seed), "--format", fmt)
    assert (code, err) == (0, "")
    assert out == expected


CONDITIONAL = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: conditional-
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: flip, template: flip}
    - - name: heads
        template: print
        when: '{{steps.flip.outputs.result}} == "heads"'
      - {name: always, template: print}
  - name: handle
    dag:
      tasks:
      - {name: A, template: print}
      - {name: cleanup, template: print, depends: "A.Failed || !A"}
      - {name: report, template: print, depends: "A", when: "{{workflow.status}} == Failed"}
      - name: fan
        depends: A.Succeeded
        templateRef: {name: lib, template: print}
        withItems: [1, 2]
  - {name: flip, container: {image: alpine}}
  - {name: print, container: {image: alpine}}
"""


def test_conditional_edges_are_dashed_in_mermaid(tmp_path):
    path = tmp_path / "wf.yaml"
    path.write_text(CONDITIONAL)
    code, out, err = run_cli("graph", path)
    assert code == 0, err
    assert out == textwrap.dedent("""\
        ```mermaid
        flowchart TD
          subgraph t0["main (steps)"]
            subgraph t0g0["step group 1"]
              t0s0_0["flip<br/>flip"]
            end
            subgraph t0g1["step group 2"]
              t0s1_0["heads<br/>print<br/>when: {{steps.flip.outputs.result}} == #quot;heads#quot;"]
              t0s1_1["always<br/>print"]
            end
          end
          subgraph t1["handle (DAG)"]
            t1n0["A<br/>print"]
            t1n1["cleanup<br/>print"]
            t1n2["report<br/>print<br/>when: {{workflow.status}} == Failed"]
            t1n3["fan<br/>lib/print<br/>withItems"]
          end
          t0g0 -.->|"when"| t0s1_0
          t0g0 --> t0s1_1
          t1n0 -.->|"Failed or !A"| t1n1
          t1n0 -.->|"when"| t1n2
          t1n0 -->|"Succeeded"| t1n3
          classDef conditional stroke-dasharray: 5 5
          class t0s1_0,t1n2 conditional
        ```
        """)


def test_conditional_edges_are_dashed_in_dot(tmp_path):
    path = tmp_path / "wf.yaml"
    path.write_text(CONDITIONAL)
    code, out, _ = run_cli("graph", path, "--format", "dot", "--template", "handle")
    assert code == 0
    assert 't1n0 -> t1n1 [label="Failed or !A", style=dashed];' in out
    assert 't1n2 [label="report\\nprint\\nwhen: {{workflow.status}} == Failed", style=dashed];' in out
    assert "t1n0 -> t1n3 [label=\"Succeeded\"];" in out
    assert "main (steps)" not in out


@pytest.mark.parametrize("args, message", [
    (["--template", "dimond"], "no template 'dimond' in"),
    (["--template", "echo"], "template 'echo' has no steps or DAG to draw"),
])
def test_graph_usage_errors(args, message):
    code, out, err = run_cli("graph", os.path.join(SEED, "dag-diamond-workflow.yaml"), *args)
    assert code == 2 and out == ""
    assert message in err
    if "dimond" in args:
        assert "did you mean 'diamond'?" in err


def test_graph_of_a_missing_file():
    code, _, err = run_cli("graph", "no/such.yaml")
    assert code == 2 and "no such file" in err


def test_graph_of_a_file_without_steps_or_dag():
    code, _, err = run_cli("graph", os.path.join(SEED, "hello-world-workflow.yaml"))
    assert code == 2 and "no steps or DAG template to draw" in err
