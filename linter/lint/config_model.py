"""The configuration's pydantic model: what a configuration file may hold, validated as
strictly as manifests. Imported only to validate a configuration (a file, a mapping given
to the Python API, `--select`/`--ignore`): a lint without one uses
`argolint.config.DefaultConfig` and never imports pydantic (about 80 ms)."""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from argolint.config import ConfigMethods
from argolint.load.files import DEFAULT_EXCLUDE


def _known_ids() -> dict:
    from argolint.rules import by_id

    return by_id()


def _check_ids(ids, key):
    """Rule ids, old ids, category names and `ALL` are accepted."""
    from argolint.diagnostics import did_you_mean
    from argolint.rules.base import CATEGORIES

    known = _known_ids()
    for rule_id in ids:
        if rule_id not in known and rule_id != "ALL" and rule_id not in CATEGORIES:
            hint = did_you_mean(rule_id, list(known) + list(CATEGORIES))
            raise ValueError(f"unknown rule id '{rule_id}'" + (f"; {hint}" if hint else ""))
    return ids


class FixOptions(BaseModel):
    """The `fix` table: what `argolint --fix` writes where it must choose."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    # The account the missing-service-account fix inserts (else the one the RBAC inputs
    # grant the executor's rights to, if there is only one).
    service_account: Optional[str] = Field(default=None, alias="service-account", min_length=1)


class SecurityConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Pod Security Standards profile of the security rules: "restricted" adds the hardening
    # that "baseline" does not require (non-root, dropped capabilities, seccomp ...).
    profile: Literal["baseline", "restricted"] = "baseline"


class Config(ConfigMethods, BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    # Rule ids or categories. `select` replaces the default selection (the correctness
    # rules); `extend-select` adds to it.
    select: Optional[list[str]] = None
    extend_select: list[str] = Field(default=[], alias="extend-select")
    ignore: list[str] = []
    severity: dict[str, Literal["error", "warning", "info", "off"]] = {}
    per_file_ignores: dict[str, list[str]] = Field(default={}, alias="per-file-ignores")
    template_paths: list[str] = Field(default=[], alias="template-paths")
    max_file_size: int = Field(default=10, alias="max-file-size", gt=0, le=2048, description="MiB (at most 2048)")
    strict: bool = False
    # RBAC checks: "auto" when RBAC manifests are among the inputs, "always" treats the
    # inputs as the cluster's complete RBAC, "off" never checks accounts and permissions.
    rbac: Literal["auto", "always", "off"] = "auto"
    # The controller's workflowDefaults.spec.serviceAccountName, when the cluster sets one.
    default_service_account: Optional[str] = Field(default=None, alias="default-service-account", min_length=1)
    # The namespace of documents without metadata.namespace (what `kubectl apply` would use).
    namespace: str = Field(default="default", min_length=1)
    # Labels / annotations the controller adds to every workflow (workflowDefaults), so
    # `{{workflow.labels.<key>}}` / `{{workflow.annotations.<key>}}` resolve.
    workflow_labels: list[str] = Field(default=[], alias="workflow-labels")
    workflow_annotations: list[str] = Field(default=[], alias="workflow-annotations")
    fix: FixOptions = FixOptions()
    security: SecurityConfig = SecurityConfig()
    # The project context: the folder whose WorkflowTemplates and RBAC manifests are indexed
    # (default: this file's folder, else the git root). Globs of entries a directory walk skips.
    context: Optional[str] = Field(default=None, min_length=1)
    exclude: list[str] = list(DEFAULT_EXCLUDE)
    extend_exclude: list[str] = Field(default=[], alias="extend-exclude")

    # Where the configuration was read from, and its folder (relative paths start there).
    source: Optional[str] = None  # set by load_config, not by the file
    _selected: Optional[tuple] = PrivateAttr(default=None)  # (the keys it came from, the rule ids)
    root: str = "."

    @field_validator("select", "extend_select", "ignore")
    @classmethod
    def _rule_ids(cls, ids):
        return _check_ids(ids, "select") if ids is not None else ids

    @field_validator("severity")
    @classmethod
    def _severity_ids(cls, table):
        _check_ids(list(table), "severity")
        return table

    @field_validator("per_file_ignores")
    @classmethod
    def _per_file_ids(cls, table):
        for ids in table.values():
            _check_ids(ids, "per-file-ignores")
        return table
