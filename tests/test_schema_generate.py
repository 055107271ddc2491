"""The packaged schema is what the generator makes from Hera's models and the overlay."""

from __future__ import annotations

import json

import pytest

from argolint.schema import describe, validator


def test_the_packaged_schema_records_where_it_came_from():
    with open(validator.SCHEMA_FILE, encoding="utf-8") as fh:
        schema = json.load(fh)
    assert schema["x-hera-version"] == "7.1.0"
    assert schema["x-argo-version"] == "4.0.5"
    assert set(schema["x-kinds"]) == {"Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow"}


def test_regenerating_the_schema_gives_the_packaged_file(tmp_path):
    pytest.importorskip("hera")
    from argolint.schema import generate

    output = tmp_path / "argo-schema.json"
    assert generate.main(["--output", str(output)]) == 0
    with open(validator.SCHEMA_FILE, encoding="utf-8") as fh:
        packaged = fh.read()
    assert output.read_text(encoding="utf-8") == packaged, \
        "argo-schema.json is out of date: run python -m argolint.schema.generate"
    with open(describe.DESCRIPTIONS_FILE, encoding="utf-8") as fh:
        assert (tmp_path / "field-descriptions.json").read_text(encoding="utf-8") == fh.read(), \
            "field-descriptions.json is out of date: run python -m argolint.schema.generate"


def test_the_overlay_fails_loudly_when_the_models_change():
    pytest.importorskip("hera")
    from argolint.schema import generate

    defs = {"Container": {"type": "object", "properties": {"image": {"type": "string"}}}}
    with pytest.raises(generate.OverlayError, match="Container.image"):
        generate.apply_overlay(json.loads(json.dumps(defs)), {"add": {"Container": {"image": {"type": "string"}}}})
    with pytest.raises(generate.OverlayError, match="Container.imagePullPolicy"):
        generate.apply_overlay(json.loads(json.dumps(defs)), {"refine": {"Container": {"imagePullPolicy": {}}}})
