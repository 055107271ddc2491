"""Spans: every key and value, 1-based and end-exclusive, and a `{{tag}}` inside any scalar
style mapped to its exact line and columns. Expected columns are counted from the YAML."""

from __future__ import annotations

import pytest

from argolint.diagnostics import Span, json_pointer
from argolint.load.loader import load_text
from argolint.load.positions import SourceText

TAG = "{{inputs.parameters.msg}}"


def document(text: str, index: int = 0):
    loaded = load_text(text, "wf.yaml")
    assert not loaded.diagnostics, loaded.diagnostics
    return loaded.documents[index]


def tag_span(text: str, path=("value",)):
    """The span of the first TAG inside the scalar at `path`."""
    doc = document(text)
    value = doc.get(path)
    start = value.index(TAG)
    return doc.span_of(path, start=start, end=start + len(TAG))


def test_source_text_converts_offsets_and_positions_both_ways():
    src = SourceText("ab\ncdé\n\nf")
    assert src.position(0) == (1, 1)
    assert src.position(4) == (2, 2)
    assert src.position(5) == (2, 3)  # é is one column
    assert src.position(7) == (3, 1)
    assert src.position(8) == (4, 1)
    assert [src.offset(*src.position(i)) for i in range(len(src.text))] == list(range(len(src.text)))
    assert src.span(3, 6) == Span(2, 1, 2, 4)
    assert src.line_text(2) == "cdé" and src.line_text(9) == ""


def test_keys_and_values_of_block_collections():
    doc = document(
        "spec:\n"
        "  entrypoint: main\n"
        "  templates:\n"
        "  - name: main\n"
        "    container:\n"
        "      image: alpine:3.20\n"
    )
    nodes = doc.nodes
    assert nodes[("spec",)].key == Span(1, 1, 1, 5)
    assert nodes[("spec", "entrypoint")].key == Span(2, 3, 2, 13)
    assert nodes[("spec", "entrypoint")].value == Span(2, 15, 2, 19)
    # a block collection runs from its first key or dash to the end of its last value
    assert nodes[("spec", "templates")].value == Span(4, 3, 6, 25)
    assert nodes[("spec", "templates", 0)].key is None
    assert nodes[("spec", "templates", 0)].value == Span(4, 5, 6, 25)
    assert nodes[("spec", "templates", 0, "container", "image")].value == Span(6, 14, 6, 25)
    assert doc.span_of(("spec", "templates", 0, "name"), at="key") == Span(4, 5, 4, 9)
    assert doc.span_of(("spec", "templates", 0, "name")) == Span(4, 11, 4, 15)


def test_keys_and_values_of_flow_collections():
    doc = document("args: [echo, {k: 'v w'}]\nmap: {a: 1, b: [x]}\n")
    nodes = doc.nodes
    assert nodes[("args",)].value == Span(1, 7, 1, 25)
    assert nodes[("args", 0)].value == Span(1, 8, 1, 12)
    assert nodes[("args", 1)].value == Span(1, 14, 1, 24)
    assert nodes[("args", 1, "k")].key == Span(1, 15, 1, 16)
    assert nodes[("args", 1, "k")].value == Span(1, 18, 1, 23)  # the quotes are part of it
    assert nodes[("map", "b", 0)].value == Span(2, 17, 2, 18)


def test_a_trailing_comment_or_blank_line_is_not_part_of_a_value():
    doc = document(
        "steps:\n"
        "- - name: a\n"
        "    # a comment\n"
        "\n"
        "script: |\n"
        "  echo hi\n"
        "\n"
        "next: 1\n"
    )
    assert doc.nodes[("steps",)].value == Span(2, 1, 2, 12)
    assert doc.nodes[("script",)].value == Span(5, 9, 6, 10)


def test_an_empty_value_is_reported_at_its_key():
    doc = document("spec:\n  entrypoint:\n  onExit: x\n")
    assert doc.get(("spec", "entrypoint")) is None
    assert doc.span_of(("spec", "entrypoint")) == Span(2, 3, 2, 13)


def test_a_missing_path_falls_back_to_the_key_of_its_nearest_ancestor():
    doc = document("spec:\n  templates:\n  - name: main\n")
    # a list item has no key: its value stands in
    assert doc.span_of(("spec", "templates", 0, "container", "image")) == Span(3, 5, 3, 15)
    assert doc.span_of(("spec", "entrypoint")) == Span(1, 1, 1, 5)


def test_json_pointers_escape_slash_and_tilde():
    assert json_pointer(()) == ""
    assert json_pointer(("spec", "templates", 3, "name")) == "/spec/templates/3/name"
    assert json_pointer(("metadata", "annotations", "argolint.io/ignore", "a~b")) == \
        "/metadata/annotations/argolint.io~1ignore/a~0b"


def test_each_document_has_its_own_spans_in_file_lines():
    text = "a: 1\n---\n# two\nb: {c: 2}\n---\nd: [3]\n"
    assert document(text, 1).nodes[("b", "c")].value == Span(4, 8, 4, 9)
    assert document(text, 2).nodes[("d", 0)].value == Span(6, 5, 6, 6)
    assert [document(text, i).start_line for i in range(3)] == [1, 4, 6]


# -- a {{tag}} inside each scalar style ------------------------------------------------------


def test_tag_in_a_plain_scalar():
    assert tag_span(f"value: echo {TAG} done\n") == Span(1, 13, 1, 38)


def test_tag_in_a_multi_line_plain_scalar():
    text = f"value: first line\n  and   {TAG}\n  last\n"
    assert document(text).get(("value",)) == f"first line and   {TAG} last"
    assert tag_span(text) == Span(2, 9, 2, 34)


def test_tag_in_a_single_quoted_scalar_after_doubled_quotes():
    text = f"value: 'it''s ''{TAG}'''\n"
    assert document(text).get(("value",)) == f"it's '{TAG}'"
    assert tag_span(text) == Span(1, 17, 1, 42)


def test_tag_in_a_double_quoted_scalar_after_escapes():
    text = f'value: "a\\tb \\"q\\" \\u00e9\\x41 \\\\ {TAG}"\n'
    # value: "a\tb \"q\" \u00e9\x41 \\ {{...}}"
    #        ^8          ^20         ^31 ^34
    assert document(text).get(("value",)) == f'a\tb "q" éA \\ {TAG}'
    assert tag_span(text) == Span(1, 34, 1, 59)


def test_tag_in_a_multi_line_double_quoted_scalar():
    text = f'value: "one\n  two \\\n  {TAG}"\n'
    assert document(text).get(("value",)) == f"one two {TAG}"
    assert tag_span(text) == Span(3, 3, 3, 28)


def test_tag_in_a_folded_scalar():
    text = f"value: >\n  first\n  second {TAG}\n\n  third\n"
    assert document(text).get(("value",)) == f"first second {TAG}\nthird\n"
    assert tag_span(text) == Span(3, 10, 3, 35)


def test_tag_in_a_literal_scalar():
    text = f"value: |-\n  echo one\n    echo {TAG}\n  echo two\n"
    assert document(text).get(("value",)) == f"echo one\n  echo {TAG}\necho two"
    assert tag_span(text) == Span(3, 10, 3, 35)


def test_tag_in_a_literal_scalar_with_an_indentation_indicator():
    text = f"value: |2\n    indented {TAG}\n"
    assert document(text).get(("value",)) == f"  indented {TAG}\n"
    assert tag_span(text) == Span(2, 14, 2, 39)


def test_tag_after_an_anchor_and_a_tag():
    text = f"value: &msg !!str 'say {TAG}'\nagain: *msg\n"
    assert tag_span(text) == Span(1, 24, 1, 49)
    # an alias of a scalar points at the text it repeats
    assert tag_span(text, ("again",)) == Span(1, 24, 1, 49)


def test_tag_broken_over_two_lines_spans_both():
    doc = document("value: before {{=\n  1 + 1}} after\n")
    value = doc.get(("value",))
    assert value == "before {{= 1 + 1}} after"
    assert doc.span_of(("value",), start=7, end=18) == Span(1, 15, 2, 10)


def test_tag_in_a_sequence_item_and_in_a_json_string():
    assert tag_span(f"args:\n- --message={TAG}\n", ("args", 0)) == Span(2, 13, 2, 38)
    assert tag_span(f'{{"value": "x {TAG}"}}\n') == Span(1, 14, 1, 39)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_tag_positions_do_not_depend_on_line_endings(newline):
    text = f"value: |{newline}  echo {TAG}{newline}other: 'x {TAG}'{newline}"
    assert tag_span(text) == Span(2, 8, 2, 33)
    assert tag_span(text, ("other",)) == Span(3, 11, 3, 36)
