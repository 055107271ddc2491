"""Configuration: `.argolint.yaml`, or `[tool.argolint]` in `pyproject.toml`.

Searched from the current directory upwards; `--config FILE` names one. Validated as
strictly as manifests: an unknown key or a bad value is a ConfigError (exit 2) naming the
key and the file. Paths in it (template paths, per-file-ignores globs) are relative to the
file's folder.
"""

from __future__ import annotations

import fnmatch
import os
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from argolint.diagnostics import Severity
from argolint.load.files import DEFAULT_EXCLUDE, WalkOptions

CONFIG_FILES = (".argolint.yaml", ".argolint.yml", "pyproject.toml")


class ConfigError(Exception):
    """A configuration problem; the CLI prints it and exits 2."""


def _known_ids() -> dict:
    from argolint.rules import by_id

    return by_id()


def _check_ids(ids, key):
    from argolint.diagnostics import did_you_mean

    known = _known_ids()
    for rule_id in ids:
        if rule_id not in known and rule_id != "ALL":
            hint = did_you_mean(rule_id, known)
            raise ValueError(f"unknown rule id '{rule_id}'" + (f"; {hint}" if hint else ""))
    return ids


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    select: Optional[list[str]] = None
    ignore: list[str] = []
    severity: dict[str, Literal["error", "warning", "info", "off"]] = {}
    per_file_ignores: dict[str, list[str]] = Field(default={}, alias="per-file-ignores")
    template_paths: list[str] = Field(default=[], alias="template-paths")
    max_file_size: int = Field(default=10, alias="max-file-size", gt=0, description="MiB")
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
    # The project context: the folder whose WorkflowTemplates and RBAC manifests are indexed
    # (default: this file's folder, else the git root). Globs of entries a directory walk skips.
    context: Optional[str] = Field(default=None, min_length=1)
    exclude: list[str] = list(DEFAULT_EXCLUDE)
    extend_exclude: list[str] = Field(default=[], alias="extend-exclude")

    # Where the configuration was read from, and its folder (relative paths start there).
    source: Optional[str] = None  # set by load_config, not by the file
    root: str = "."

    @field_validator("select", "ignore")
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

    def enabled(self, rule_id: str, file: Optional[str] = None) -> bool:
        """Whether diagnostics of `rule_id` are reported (in `file`, when given)."""
        from argolint.rules import canonical

        rule_id = canonical(rule_id)
        if rule_id == "internal-error":
            return True
        if self.select is not None and "ALL" not in self.select and rule_id not in {canonical(r) for r in self.select}:
            return False
        if rule_id in {canonical(r) for r in self.ignore} or "ALL" in self.ignore:
            return False
        if self.severity.get(rule_id) == "off":
            return False
        return file is None or not self._ignored_for_file(rule_id, file)

    def _ignored_for_file(self, rule_id: str, file: str) -> bool:
        if not self.per_file_ignores:
            return False
        rel = os.path.relpath(os.path.abspath(file), os.path.abspath(self.root)) if file != "-" else "-"
        rel = rel.replace(os.sep, "/")
        for pattern, ids in self.per_file_ignores.items():
            if fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(os.path.basename(rel), pattern):
                if rule_id in ids or "ALL" in ids:
                    return True
        return False

    def severity_of(self, rule_id: str, default: Severity) -> Severity:
        level = self.severity.get(rule_id)
        return Severity(level) if level and level != "off" else default

    def walk_options(self) -> WalkOptions:
        return WalkOptions(root=self.root, exclude=tuple(self.exclude), extend_exclude=tuple(self.extend_exclude))

    def resolve(self, path: str) -> str:
        return path if os.path.isabs(path) else os.path.normpath(os.path.join(self.root, path))


def with_overrides(config: Config, select=None, ignore=None, flag_prefix: str = "") -> Config:
    """`config` with `select` replaced and `ignore` extended, as the CLI's `--select` and
    `--ignore` do (None leaves a key alone). Raises ConfigError for an unknown rule id."""
    if select is None and ignore is None:
        return config
    merged = config.model_dump(by_alias=True, exclude={"source", "root"})
    if select is not None:
        merged["select"] = list(select)
    if ignore is not None:
        merged["ignore"] = list(config.ignore) + list(ignore)
    try:
        fresh = Config.model_validate(merged)
    except Exception as exc:
        errors = getattr(exc, "errors", lambda: [])()
        raise ConfigError("; ".join(f"{flag_prefix}{e['loc'][0]}: {e['msg'].removeprefix('Value error, ')}"
                                    for e in errors) or str(exc)) from None
    fresh.source, fresh.root = config.source, config.root
    return fresh


def _read_yaml(path: str):
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        with open(path, encoding="utf-8") as fh:
            return YAML(typ="safe", pure=False).load(fh) or {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from None
    except YAMLError as exc:
        raise ConfigError(f"{path}: configuration is not valid YAML: {str(exc).splitlines()[0]}") from None


def _read_pyproject(path: str) -> Optional[dict]:
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    return data.get("tool", {}).get("argolint")


def find_config(start: str = ".") -> Optional[str]:
    here = os.path.abspath(start)
    while True:
        for name in CONFIG_FILES:
            candidate = os.path.join(here, name)
            if os.path.isfile(candidate):
                if name != "pyproject.toml" or _read_pyproject(candidate) is not None:
                    return candidate
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def load_config(path: Optional[str] = None, start: str = ".") -> Config:
    """The configuration at `path`, else the nearest one above `start`, else defaults."""
    if path is None:
        path = find_config(start)
        if path is None:
            return Config()
    elif not os.path.isfile(path):
        raise ConfigError(f"{path}: configuration file not found")
    raw = _read_pyproject(path) if path.endswith(".toml") else _read_yaml(path)
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: configuration must be a mapping, found {type(raw).__name__}")
    for internal in ("source", "root"):
        if internal in raw:
            raise ConfigError(f"{path}: '{internal}': unknown key")
    try:
        config = Config.model_validate(raw)
    except ValidationError as exc:
        problems = []
        order = {str(k): i for i, k in enumerate(raw)}  # report in the file's order
        for err in sorted(exc.errors(), key=lambda e: order.get(str(e["loc"][0]) if e["loc"] else "", -1)):
            key = ".".join(str(p) for p in err["loc"]) or "(top level)"
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                from argolint.diagnostics import did_you_mean

                fields = [f.alias or n for n, f in Config.model_fields.items() if n not in ("source", "root")]
                hint = did_you_mean(str(err["loc"][0]), fields)
                msg = "unknown key" + (f"; {hint}" if hint else f"; valid keys: {', '.join(sorted(fields))}")
            problems.append(f"{path}: '{key}': {msg}")
        raise ConfigError("\n".join(problems)) from None
    config.source = path
    config.root = os.path.dirname(os.path.abspath(path))
    return config
