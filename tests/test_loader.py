"""The loader: documents, data as Kubernetes reads it, and every input problem as a
diagnostic at its place while the rest of the file is still loaded and linted."""

from __future__ import annotations

import textwrap

import pytest
from helpers import lint, lint_text, short
from hypothesis import given, settings
from hypothesis import strategies as st

from argolint.config import Config
from argolint.load.loader import LimitOptions, load_bytes, load_text, read_file
from argolint.load.events import resolve_plain

WORKFLOW = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: {name}-
spec:
  entrypoint: {entrypoint}
  serviceAccountName: argo-workflow
  templates:
  - name: main
    container:
      image: alpine:3.20
"""


def workflow(name="hello", entrypoint="main"):
    return WORKFLOW.format(name=name, entrypoint=entrypoint)


def loaded(text: str, limits: LimitOptions = LimitOptions()):
    return load_text(textwrap.dedent(text), "wf.yaml", limits)


def problems(result):
    return [f"{d.line}:{d.column}: {d.rule}" for d in result.diagnostics]


# -- documents ---------------------------------------------------------------------------------


def test_multi_document_file_keeps_each_document_with_its_index_and_kind():
    result = loaded(workflow() + "---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: argo-workflow\n"
                    "---\n# only a comment here\n---\n" + workflow("second"))
    assert not result.diagnostics
    assert [(d.index, d.kind, d.name) for d in result.documents] == [
        (0, "Workflow", "hello-"), (1, "ServiceAccount", "argo-workflow"), (2, None, None), (3, "Workflow", "second-")]
    assert [d.start_line for d in result.documents] == [1, 13, 19, 20]
    assert result.documents[0].is_argo and not result.documents[1].is_argo


def test_empty_and_comment_only_files_have_no_documents_and_no_diagnostics():
    for text in ("", "\n\n", "# nothing here\n# at all\n", "---\n"):
        result = loaded(text)
        assert not result.diagnostics
        assert all(d.data is None for d in result.documents)


def test_json_file():
    result = load_text('{\n\t"kind": "Workflow",\n\t"spec": {"entrypoint": "main", "parallelism": 2}\n}\n', "wf.json")
    assert not result.diagnostics
    doc = result.documents[0]
    assert doc.data == {"kind": "Workflow", "spec": {"entrypoint": "main", "parallelism": 2}}
    assert doc.nodes[("spec", "entrypoint")].key.column == 11  # the key's quote
    assert doc.nodes[("spec", "parallelism")].value.column == 48


def test_data_reads_plain_scalars_as_kubernetes_does():
    doc = loaded("""\
        on: yes
        off: Off
        quoted: "yes"
        octal: 012
        hex: 0x1F
        underscored: 1_000
        float: 1e3
        version: 1.10
        nothing: ~
        empty:
        date: 2024-01-02
        text: 3.20.1
        tagged: !!str 42
        """).documents[0]
    assert doc.data == {"on": True, "off": False, "quoted": "yes", "octal": 10, "hex": 31, "underscored": 1000,
                        "float": 1000.0, "version": 1.1, "nothing": None, "empty": None, "date": "2024-01-02",
                        "text": "3.20.1", "tagged": "42"}


@pytest.mark.parametrize("text, value", [
    ("y", True), ("NO", False), ("True", True), ("tRue", "tRue"), ("null", None), ("-12", -12), ("+7", 7),
    ("0o17", 15), ("0b101", 5), ("09", 9.0), (".5", 0.5), ("-.inf", float("-inf")), ("1.", 1.0),
    ("0x", "0x"), ("12abc", "12abc"), (".", "."), ("1_0.5", 10.5), ("._5", "._5"),
])
def test_resolve_plain(text, value):
    assert resolve_plain(text) == value and type(resolve_plain(text)) is type(value)


def test_anchors_aliases_and_merge_keys():
    doc = loaded("""\
        base: &base
          image: alpine:3.20
          command: [echo, hi]
        one: *base
        two:
          <<: *base
          command: [echo, bye]
        """).documents[0]
    assert doc.data["one"] == {"image": "alpine:3.20", "command": ["echo", "hi"]}
    assert doc.data["two"] == {"image": "alpine:3.20", "command": ["echo", "bye"]}
    assert doc.nodes[("one",)].value.line == 4  # the alias
    assert doc.nodes[("one", "command", 1)].value.line == 3  # what it repeats
    assert doc.nodes[("two", "image")].value.line == 2
    assert doc.nodes[("two", "command", 1)].value.line == 7  # the mapping's own key wins


def test_a_colon_inside_a_flow_mapping_value_is_accepted_as_kubernetes_does():
    result = loaded("spec: {image: alpine:3.20, args: [a:b]}\n---\nnext: {x: 1}\n")
    assert not result.diagnostics
    assert [d.data for d in result.documents] == [{"spec": {"image": "alpine:3.20", "args": ["a:b"]}},
                                                  {"next": {"x": 1}}]


# -- syntax errors -------------------------------------------------------------------------------


def test_a_syntax_error_in_one_document_leaves_the_others_loaded_and_linted(tmp_path):
    text = workflow("first", "mian") + "---\nkind: Workflow\nspec: [\n---\n" + workflow("third", "nope")
    found = lint_text(tmp_path, text, config=Config(select=["unknown-template", "yaml-syntax"]))
    assert [(f"{d.line}:{d.column}: {d.rule}", d.document) for d in found] == [
        ("6:15: unknown-template", 0), ("15:1: yaml-syntax", 1), ("21:15: unknown-template", 2)]
    assert found[1].message == "YAML syntax error: did not find expected node content (while parsing a flow node)"


def test_a_failed_document_keeps_its_place_so_later_indexes_stay_true():
    result = loaded("a: [\n---\nkind: Workflow\n")
    assert [(d.index, d.data) for d in result.documents] == [(0, None), (1, {"kind": "Workflow"})]
    assert [(d.rule, d.document) for d in result.diagnostics] == [("yaml-syntax", 0)]


def test_undefined_alias_is_a_syntax_error():
    result = loaded("a: *nowhere\n---\nkind: Workflow\n")
    assert problems(result) == ["1:4: yaml-syntax"]
    assert "undefined alias 'nowhere'" in result.diagnostics[0].message
    assert result.documents[1].data == {"kind": "Workflow"}


def test_control_character_is_a_syntax_error_at_its_place():
    result = loaded("kind: Workflow\nb: x\x07y\n---\nc: 2\n")
    assert problems(result) == ["2:5: yaml-syntax"]
    assert "U+0007" in result.diagnostics[0].message
    assert result.documents[1].data == {"c": 2}


@pytest.mark.parametrize("text", ["a: [\n", '{\n  // comment\n  "strict": true,\n}\n', "kind: ConfigMap\ndata: {a\n",
                                  "apiVersion: argoproj.io/v1alpha1\nkind: Application\nspec: [\n"])
def test_a_broken_file_with_no_sign_of_argo_is_skipped_without_a_diagnostic(text):
    result = loaded(text)
    assert result.diagnostics == []
    assert result.skipped == "does not parse and is no Argo manifest"


@pytest.mark.parametrize("text", ["kind: Workflow\nspec: [\n", '{"kind": "CronWorkflow", "spec": [}',
                                  "apiVersion: argoproj.io/v1alpha1\nspec: [\n"])
def test_a_broken_file_that_says_argo_keeps_its_syntax_error(text):
    assert [d.rule for d in loaded(text).diagnostics] == ["yaml-syntax"]


# -- duplicate keys ----------------------------------------------------------------------------


def test_duplicate_key_is_reported_at_the_second_key_and_the_last_value_is_kept(tmp_path):
    text = workflow(entrypoint="mian") + "  entrypoint: main\n"
    only = Config(select=["duplicate-key", "unknown-template"])
    found = lint_text(tmp_path, text, config=only)
    assert short(found) == ["12:3: duplicate-key"]
    assert found[0].message == "key 'entrypoint' is given twice in this mapping; the first is on line 6"
    assert found[0].path == "/spec/entrypoint" and found[0].kind == "Workflow" and found[0].name == "hello-"
    # and the document is linted with the later value
    found = lint_text(tmp_path, workflow() + "  entrypoint: mian\n", config=only)
    assert short(found) == ["12:3: duplicate-key", "12:15: unknown-template"]


def test_the_first_value_of_a_duplicate_key_leaves_no_spans_behind():
    doc = loaded("a:\n  x: 1\n  y: 2\na:\n  x: 3\n").documents[0]
    assert doc.data == {"a": {"x": 3}}
    assert ("a", "y") not in doc.nodes
    assert doc.span_of(("a", "y")).line == 4


# -- encodings and line endings --------------------------------------------------------------------


def test_crlf_file_has_the_same_positions_as_lf(tmp_path):
    text = workflow(entrypoint="mian")
    lf = lint_text(tmp_path, text, name="lf.yaml")
    crlf_path = tmp_path / "crlf.yaml"
    crlf_path.write_bytes(text.replace("\n", "\r\n").encode())
    crlf = lint(crlf_path)
    assert [d.span for d in crlf] == [d.span for d in lf] and crlf
    assert "\r" not in read_file(str(crlf_path)).source.text


@pytest.mark.parametrize("encoding, bom", [("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"),
                                           ("utf-16-be", b"\xfe\xff")])
def test_byte_order_mark_is_not_part_of_the_first_line(tmp_path, encoding, bom):
    path = tmp_path / "bom.yaml"
    path.write_bytes(bom + workflow(entrypoint="mian").encode(encoding))
    assert short(lint(path), "unknown-template") == ["6:15: unknown-template"]
    result = read_file(str(path))
    assert result.documents[0].nodes[("apiVersion",)].key.column == 1


def test_non_utf8_byte_is_reported_at_its_column_counted_in_characters():
    result = load_bytes("a: é\nb: caf".encode() + b"\xe9\n", "x.yaml")
    assert [(d.rule, d.line, d.column) for d in result.diagnostics] == [("unreadable-file", 2, 7)]
    assert "0xe9" in result.diagnostics[0].message and not result.documents


def test_nul_byte_makes_a_binary_file():
    result = load_bytes(b"a: 1\n\x00\x01", "x.yaml")
    assert [d.message for d in result.diagnostics] == ["binary file (NUL byte on line 2); not linted"]


# -- limits ------------------------------------------------------------------------------------------


def test_depth_limit_allows_200_levels_and_refuses_201():
    limits = LimitOptions(max_depth=200)
    assert not loaded("x: " + "[" * 199 + "]" * 199 + "\n", limits).diagnostics
    result = loaded("x: " + "[" * 200 + "]" * 200 + "\n---\nok: 1\n", limits)
    assert problems(result) == ["1:203: input-too-large"]
    assert result.documents[1].data == {"ok": 1}


def test_an_alias_cannot_nest_a_document_beyond_the_depth_limit():
    anchor = "a: &a " + "[" * 150 + "]" * 150 + "\n"
    assert not loaded(anchor + "b: " + "[" * 49 + "*a" + "]" * 49 + "\n").diagnostics  # 1 + 49 + 150 levels
    result = loaded(anchor + "b: " + "[" * 50 + "*a" + "]" * 50 + "\n")
    assert problems(result) == ["2:54: input-too-large"]
    assert "the alias '*a'" in result.diagnostics[0].message


def test_alias_expansion_limit():
    text = "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\nb: [*a, *a, *a]\n"
    assert not loaded(text, LimitOptions(max_alias_expansion=30)).diagnostics
    result = loaded(text, LimitOptions(max_alias_expansion=29))
    assert problems(result) == ["2:13: input-too-large"]


def test_size_limit_is_checked_before_reading(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: 1\n" * 300)
    result = read_file(str(path), limits=LimitOptions(max_file_bytes=1000))
    assert problems(result) == ["1:1: input-too-large"]
    assert result.diagnostics[0].message == "file is 0.0 MiB, over the 0.000953674 MiB limit; not linted"
    assert not result.documents


def test_unreadable_path_is_a_diagnostic(tmp_path):
    result = read_file(str(tmp_path / "missing.yaml"))
    assert [(d.rule, d.message) for d in result.diagnostics] == [
        ("unreadable-file", "cannot read file: No such file or directory")]


# -- Helm templates ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text, where", [
    ("metadata:\n  name: {{ .Values.name }}\n", "2:9"),
    ("{{- if .Values.enabled }}\nkind: Workflow\n{{- end }}\n", "1:1"),
    ("metadata:\n  labels:\n    {{- include \"x.labels\" . | nindent 4 }}\n", "3:5"),
    ("spec:\n  image: 'repo:{{ .Chart.AppVersion }}'\n", "2:16"),
    ("spec:\n  a: [\n  {{ $x := 1 }}\n", "3:3"),
])
def test_helm_template_of_an_argo_manifest_gives_one_warning_and_nothing_else(text, where):
    result = loaded(text + "kind: Workflow\n")
    assert problems(result) == [f"{where}: helm-template"]
    assert result.diagnostics[0].hint == "lint the rendered output: `helm template . | argolint -`"
    assert result.diagnostics[0].severity.value == "warning"
    assert not result.documents


@pytest.mark.parametrize("kind", ["", "kind: ConfigMap\n", "apiVersion: argoproj.io/v1alpha1\nkind: Application\n"])
def test_helm_template_of_other_kinds_is_skipped_silently(kind):
    result = loaded("metadata:\n  name: {{ .Values.name }}\n" + kind)
    assert (result.diagnostics, result.documents) == ([], [])
    assert result.skipped == "Helm template of no Argo manifest"


@pytest.mark.parametrize("text", [
    "# {{ .Values.x }} in a comment\nkind: Workflow\n",
    "args: [\"{{inputs.parameters.x}}\", \"{{=sprig.trim(inputs.parameters.y)}}\", \"{{workflow.name}}\"]\n",
    "source: |\n  kubectl get pods -o go-template='{{range .items}}{{.metadata.name}}{{end}}'\n",
    "source: |\n  echo '{{ .Values.x }}' > chart/templates/cm.yaml\n",
    "args: [\"-o\", \"go-template={{range .items}}{{.metadata.name}}{{end}}\"]\n",
])
def test_go_templates_in_text_are_not_helm(text):
    assert not loaded(text).diagnostics


# -- any input -----------------------------------------------------------------------------------

_PIECES = list("ab:- []{},'\"|>&*!?#\n\t\\%.0123456789") + [
    "---\n", "...\n", "<<: ", "{{", "}}", "  ", "\r\n", "\x07", "é", "&a ", "*a", "!!str ", "? ", ": ", "{{ .Values.x }}"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=60).map("".join))
def test_any_text_loads_without_raising_and_every_span_lies_in_the_file(text):
    result = load_text(text, "fuzz.yaml")
    size = len(result.source.text)
    for doc in result.documents:
        for path, info in doc.nodes.items():
            assert 0 <= info.start <= info.end <= size, path
            value = doc.get(path)
            if isinstance(value, str) and value and info.style is not None:
                span = doc.span_of(path, start=0, end=len(value))
                assert (span.line, span.column) <= (span.end_line, span.end_column)
    assert all(d.line >= 1 and d.column >= 1 for d in result.diagnostics)
