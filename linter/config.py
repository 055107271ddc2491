"""Configuration: `.argolint.yaml`, or `[tool.argolint]` in `pyproject.toml`.

Searched from the current directory upwards; `--config FILE` names one. Validated as
strictly as manifests: an unknown key or a bad value is a ConfigError (exit 2) naming the
key and the file. Paths in it (template paths, per-file-ignores globs) are relative to the
file's folder.

The model (`Config`, pydantic) lives in `argolint.lint.config_model` and is imported only
when there is a configuration to validate; without one, `load_config` returns a
`DefaultConfig`, the same values and behaviour without pydantic.
"""

from __future__ import annotations

import fnmatch
import os
from types import SimpleNamespace
from typing import Optional

from argolint.diagnostics import Severity
from argolint.load.files import DEFAULT_EXCLUDE, WalkOptions

CONFIG_FILES = (".argolint.yaml", ".argolint.yml", "pyproject.toml")


class ConfigError(Exception):
    """A configuration problem; the CLI prints it and exits 2."""


def _rule_ids_of(names) -> frozenset:
    """The canonical rule ids that rule ids, categories and `ALL` stand for."""
    from argolint.rules import RULES, canonical

    names = set(names)
    if "ALL" in names:
        return frozenset(r.id for r in RULES)
    return frozenset(r.id for r in RULES if r.category in names) | {canonical(n) for n in names}


class ConfigMethods:
    """What a configuration answers, whether it was validated (`Config`) or is the default."""

    def enabled(self, rule_id: str, file: Optional[str] = None) -> bool:
        """Whether diagnostics of `rule_id` are reported (in `file`, when given)."""
        from argolint.rules import canonical

        rule_id = canonical(rule_id)
        if rule_id == "internal-error":
            return True
        if rule_id not in self._selected_ids():
            return False
        if self._severity_level(rule_id) == "off":
            return False
        return file is None or not self._ignored_for_file(rule_id, file)

    def _selected_ids(self) -> frozenset:
        """The rules selected and not ignored, computed once (the engine asks per diagnostic)."""
        cached = self._selected
        if cached is None or cached[0] != (self.select, self.extend_select, self.ignore):
            from argolint.rules.base import DEFAULT_CATEGORIES

            selected = _rule_ids_of(DEFAULT_CATEGORIES if self.select is None else self.select)
            selected = (selected | _rule_ids_of(self.extend_select)) - _rule_ids_of(self.ignore)
            cached = ((self.select, self.extend_select, self.ignore), selected)
            self._selected = cached
        return cached[1]

    def _severity_level(self, rule_id: str) -> Optional[str]:
        """The configured severity of a rule: by its id, else by its category."""
        level = self.severity.get(rule_id)
        if level is None and self.severity:
            from argolint.rules import by_id

            rule = by_id().get(rule_id)
            level = self.severity.get(rule.category) if rule is not None else None
        return level

    def _ignored_for_file(self, rule_id: str, file: str) -> bool:
        if not self.per_file_ignores:
            return False
        rel = os.path.relpath(os.path.abspath(file), os.path.abspath(self.root)) if file != "-" else "-"
        rel = rel.replace(os.sep, "/")
        for pattern, ids in self.per_file_ignores.items():
            if fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(os.path.basename(rel), pattern):
                if rule_id in _rule_ids_of(ids):
                    return True
        return False

    def severity_of(self, rule_id: str, default: Severity) -> Severity:
        level = self._severity_level(rule_id)
        return Severity(level) if level and level != "off" else default

    def walk_options(self) -> WalkOptions:
        return WalkOptions(root=self.root, exclude=tuple(self.exclude), extend_exclude=tuple(self.extend_exclude))

    def resolve(self, path: str) -> str:
        return path if os.path.isabs(path) else os.path.normpath(os.path.join(self.root, path))


class DefaultConfig(ConfigMethods):
    """`Config()`, for a run without a configuration file, without importing pydantic. A
    test keeps the two equal."""

    def __init__(self):
        self.select: Optional[list[str]] = None
        self.extend_select: list[str] = []
        self.ignore: list[str] = []
        self.severity: dict[str, str] = {}
        self.per_file_ignores: dict[str, list[str]] = {}
        self.template_paths: list[str] = []
        self.max_file_size = 10
        self.strict = False
        self.rbac = "auto"
        self.default_service_account: Optional[str] = None
        self.namespace = "default"
        self.workflow_labels: list[str] = []
        self.workflow_annotations: list[str] = []
        self.fix = SimpleNamespace(service_account=None)
        self.security = SimpleNamespace(profile="baseline")
        self.context: Optional[str] = None
        self.exclude: list[str] = list(DEFAULT_EXCLUDE)
        self.extend_exclude: list[str] = []
        self.source: Optional[str] = None
        self.root = "."
        self._selected: Optional[tuple] = None


def __getattr__(name):
    if name == "Config":  # `from argolint.config import Config`: the pydantic model, on demand
        from argolint.lint.config_model import Config

        return Config
    raise AttributeError(f"module 'argolint.config' has no attribute {name!r}")


def as_model(config: ConfigMethods):
    """The pydantic `Config` holding the same values as `config` (a DefaultConfig, whose
    attributes flags may have changed, becomes one), for what needs the model's dump."""
    if not isinstance(config, DefaultConfig):
        return config
    from argolint.lint.config_model import Config

    values = {k: v for k, v in vars(config).items() if not k.startswith("_") and k not in ("fix", "security")}
    return Config.model_construct(**values)


def with_overrides(config: ConfigMethods, select=None, ignore=None, flag_prefix: str = "",
                   extend_select=None) -> ConfigMethods:
    """`config` with `select` replaced and `ignore` and `extend_select` extended, as the
    CLI's `--select`, `--ignore` and `--extend-select` do (None leaves a key alone). Raises
    ConfigError for an unknown rule id or category."""
    if select is None and ignore is None and extend_select is None:
        return config
    from argolint.lint.config_model import Config

    config = as_model(config)
    merged = config.model_dump(by_alias=True, exclude={"source", "root"})
    if select is not None:
        merged["select"] = list(select)
    if extend_select is not None:
        merged["extend-select"] = list(config.extend_select) + list(extend_select)
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


_MAX_CONFIG_BYTES = 1024 * 1024


def _read_yaml(path: str):
    """The configuration's mapping, read through the bounded loader (size, depth, aliases)."""
    from argolint.load.loader import LimitOptions, load_values

    try:
        with open(path, "rb") as fh:
            data = fh.read(_MAX_CONFIG_BYTES + 1)
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from None
    if len(data) > _MAX_CONFIG_BYTES:
        raise ConfigError(f"{path}: configuration is over {_MAX_CONFIG_BYTES // 1024} KiB; is it the right file?")
    values, problems = load_values(text, path, LimitOptions(yaml_1_2=True))
    if problems:
        first = problems[0]
        problem = first.message.removeprefix("YAML syntax error: ").removesuffix("; not linted")
        raise ConfigError(f"{path}: configuration is not valid YAML on line {first.line}, column {first.column}: "
                          f"{problem}")
    return values[0] if values else {}


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
    except RecursionError:  # tomllib parses nested arrays and tables recursively
        raise ConfigError(f"{path}: invalid TOML: nested too deeply") from None
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


def validate_config(raw, where: str):
    """The pydantic `Config` of the mapping `raw` (a configuration file's content, or a
    mapping given to the Python API); raises ConfigError naming `where` and each bad key in
    the mapping's order, with a did-you-mean for an unknown one."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: configuration must be a mapping, found {type(raw).__name__}")
    for internal in ("source", "root"):
        if internal in raw:
            raise ConfigError(f"{where}: '{internal}': unknown key")
    from pydantic import ValidationError

    from argolint.lint.config_model import Config, FixOptions

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

                model = FixOptions if len(err["loc"]) > 1 and err["loc"][0] == "fix" else Config
                fields = [f.alias or n for n, f in model.model_fields.items() if n not in ("source", "root")]
                hint = did_you_mean(str(err["loc"][-1]), fields)
                msg = "unknown key" + (f"; {hint}" if hint else f"; valid keys: {', '.join(sorted(fields))}")
            problems.append(f"{where}: '{key}': {msg}")
        raise ConfigError("\n".join(problems)) from None
    return config


def load_config(path: Optional[str] = None, start: str = ".") -> ConfigMethods:
    """The configuration at `path`, else the nearest one above `start`, else defaults."""
    if path is None:
        path = find_config(start)
        if path is None:
            return DefaultConfig()
    elif not os.path.isfile(path):
        raise ConfigError(f"{path}: configuration file not found")
    raw = _read_pyproject(path) if path.endswith(".toml") else _read_yaml(path)
    if raw is None:
        raw = {}
    config = validate_config(raw, path)
    config.source = path
    config.root = os.path.dirname(os.path.abspath(path))
    return config
