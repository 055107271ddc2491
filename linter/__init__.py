"""argolint: static validation, linting and dry runs for Argo Workflows manifests.

The Python entry points, imported on first use so that `import argolint` stays cheap:
`lint_paths(paths, ...)` and `lint_text(text, filename=...)` return `Diagnostic` records;
`dry_run(path_or_paths, ...)` returns an `Evaluation`. See `argolint.api`.
"""

__version__ = "0.1.0"

__all__ = ["__version__", "lint_paths", "lint_text", "dry_run", "Diagnostic", "Severity"]

_API = {"lint_paths": "argolint.api", "lint_text": "argolint.api", "dry_run": "argolint.api",
        "Diagnostic": "argolint.diagnostics", "Severity": "argolint.diagnostics"}


def __getattr__(name):
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'argolint' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
