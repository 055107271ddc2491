"""linter/graph.py: DAG ancestry and cycles, the template call graph, and `argolint graph`."""

from __future__ import annotations

import json
import os
import shutil
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
        parsers = ("networkx", "lark", "argolint.analysis.templating.vendor.lark_runtime")
        print(sorted(m for m in parsers if m in sys.modules))
        """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# ------------------------------------------------------------------------- argolint graph


DIAMOND_MERMAID = """\
```mermaid
flowchart TD
  subgraph t1["diamond (DAG)"]
    direction TB
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
    direction TB
    subgraph t0g0["step group 1"]
      direction TB
      t0s0_0["hello1<br/>whalesay"]
    end
    subgraph t0g1["step group 2"]
      direction TB
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
            direction TB
            subgraph t0g0["step group 1"]
              direction TB
              t0s0_0["flip<br/>flip"]
            end
            subgraph t0g1["step group 2"]
              direction TB
              t0s1_0["heads<br/>print<br/>when: {{steps.flip.outputs.result}} == #quot;heads#quot;"]
              t0s1_1["always<br/>print"]
            end
          end
          subgraph t1["handle (DAG)"]
            direction TB
            t1n0["A<br/>print"]
            t1n1["cleanup<br/>print"]
            t1n2["report<br/>print<br/>when: {{workflow.status}} == Failed"]
            t1n3[["fan<br/>lib/print<br/>withItems"]]
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


EITHER = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: either-
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: A, template: print}
      - {name: B, template: print}
      - {name: any, template: print, depends: "A || B"}
      - {name: all, template: print, depends: "A && B"}
      - {name: fan, template: print, depends: "all", withItems: [1, 2, 3]}
  - {name: print, container: {image: alpine}}
"""

EITHER_MERMAID = """\
flowchart TD
  subgraph t0["main (DAG)"]
    direction TB
    t0n0["A<br/>print"]
    t0n1["B<br/>print"]
    t0n2["any<br/>print"]
    t0n3["all<br/>print"]
    t0n4[["fan<br/>print<br/>withItems"]]
  end
  t0n0 -->|"any"| t0n2
  t0n1 -->|"any"| t0n2
  t0n0 --> t0n3
  t0n1 --> t0n3
  t0n3 --> t0n4
  linkStyle 0,1 stroke:#d97706,color:#d97706
"""


def test_or_and_and_edges_are_drawn_differently_and_a_loop_is_one_stacked_node(tmp_path):
    path = tmp_path / "wf.yaml"
    path.write_text(EITHER)
    code, out, err = run_cli("graph", "--no-fence", path)
    assert (code, err) == (0, "")
    assert out == EITHER_MERMAID
    code, out, _ = run_cli("graph", "--format", "dot", path)
    assert 't0n0 -> t0n2 [label="any", color="#d97706", fontcolor="#d97706"];' in out
    assert "t0n0 -> t0n3;" in out
    assert 't0n4 [label="fan\\nprint\\nwithItems", peripheries=2];' in out


def test_output_file_is_fenced_only_for_markdown(tmp_path):
    path = tmp_path / "wf.yaml"
    path.write_text(EITHER)
    assert run_cli("graph", path, "-o", tmp_path / "chart.mmd")[:2] == (0, "")
    assert (tmp_path / "chart.mmd").read_text() == EITHER_MERMAID
    assert run_cli("graph", path, "--output", tmp_path / "README.md")[0] == 0
    assert (tmp_path / "README.md").read_text() == "```mermaid\n" + EITHER_MERMAID + "```\n"
    code, _, err = run_cli("graph", path, "-o", tmp_path / "no" / "such" / "dir.mmd")
    assert code == 2 and "argolint graph: error: " in err


def test_graphviz_renders_the_dot_output(tmp_path):
    dot = shutil.which("dot")
    if dot is None:
        pytest.skip("Graphviz is not installed (apt-get install graphviz)")
    path = tmp_path / "wf.yaml"
    path.write_text(CONDITIONAL)
    _, out, _ = run_cli("graph", "--format", "dot", path)
    svg = subprocess.run([dot, "-Tsvg"], input=out, capture_output=True, text=True, check=True, timeout=60)
    assert svg.stderr == "" and "<svg" in svg.stdout and "handle (DAG)" in svg.stdout


def test_mermaid_cli_renders_the_unfenced_output(tmp_path):
    """mermaid-cli (npm @mermaid-js/mermaid-cli) with a Chromium: slow (seconds), so only
    where `mmdc` is on PATH; ARGOLINT_CHROMIUM names the browser when puppeteer has none."""
    mmdc = shutil.which("mmdc")
    if mmdc is None:
        pytest.skip("mermaid-cli is not installed (npm i -g @mermaid-js/mermaid-cli)")
    path = tmp_path / "wf.yaml"
    path.write_text(CONDITIONAL)
    run_cli("graph", path, "-o", tmp_path / "chart.mmd")
    args = [mmdc, "-i", tmp_path / "chart.mmd", "-o", tmp_path / "chart.svg"]
    browser = os.environ.get("ARGOLINT_CHROMIUM") or shutil.which("chromium")
    if browser:
        config = tmp_path / "puppeteer.json"
        config.write_text(json.dumps({"executablePath": browser, "args": ["--no-sandbox"]}))
        args += ["-p", config]
    subprocess.run([str(a) for a in args], check=True, capture_output=True, timeout=120)
    svg = (tmp_path / "chart.svg").read_text()
    assert "Syntax error" not in svg and "handle (DAG)" in svg
