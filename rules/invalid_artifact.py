import posixpath
import re

from argolint.diagnostics import Finding
from argolint.rules._pod_templates import call_arguments, templates_setting, LEAF_TYPES, NON_LEAF_TYPES, as_dict, as_list, blank, label
from argolint.rules.base import Rule


LOCATIONS = ("s3", "gcs", "azure", "oss", "git", "http", "artifactory", "hdfs", "raw", "plugin")
# Argo's Artifact.CleanPath: the directory before a `/../` (or a trailing `/..`, written as
# a regex whose dots match any character) is the one the path may not leave.
_TRAILING_DOTDOT = re.compile(r"/..$")


class InvalidArtifact(Rule):
    """An artifact without the `path` or source it needs, or with fields its place does not allow.

    ## What it does
    Checks artifacts as Argo's validator does:
    - an input or output artifact of a container, containerSet, script, resource, data,
      http or plugin template has a `path`, which does not climb out of its directory with
      `..`; a steps, DAG or suspend template's artifacts have no `path`;
    - an input artifact has no `from` (that belongs to the arguments that pass it);
    - an artifact argument (of `spec.arguments`, a step or a task) has a source: `from`, a
      location (`s3`, `git`, `http`, `raw` ...) or a `key`; `fromExpression` alone is not
      accepted, and neither is `from` with `fromExpression`;
    - an `hdfs` location of an input artifact or `archiveLocation` has `addresses`, an
      absolute `path`, and a user or Kerberos credentials with the fields they need.
      (A `git` location without `repo` is reported by `missing-field`.)

    ## Why is this bad?
    Argo rejects the workflow when it is submitted ("Artifact 'data' did not specify a
    path", "inputs.artifacts.data.from not valid in inputs"), so nothing runs.

    ## Example
    An input artifact written the way an argument is:
    ```yaml
    - name: consume
      inputs:
        artifacts:
        - name: data
          from: "{{steps.produce.outputs.artifacts.data}}"
      container: {image: alpine:3.20, command: [cat, /tmp/data]}
    ```

    Use instead (the template says where the file goes; the caller passes it):
    ```yaml
    - name: consume
      inputs:
        artifacts:
        - name: data
          path: /tmp/data
      container: {image: alpine:3.20, command: [cat, /tmp/data]}
    # and in the step: arguments: {artifacts: [{name: data, from: "{{steps.produce.outputs.artifacts.data}}"}]}
    ```
    """

    id = "invalid-artifact"

    def check_document(self, ctx):
        spec = ctx.spec
        if "artifacts" in spec.arguments:
            yield from _arguments(spec.arguments, spec.path + ("arguments",), "spec.arguments")
        for arguments, path, owner in call_arguments(ctx):
            if "artifacts" in arguments:
                yield from _arguments(arguments, path, owner)
        for section in ("inputs", "outputs"):
            for template in templates_setting(ctx, section):
                yield from _artifacts(template, section)
        for template in templates_setting(ctx, "archiveLocation"):
            archive = template.data["archiveLocation"]
            if isinstance(archive, dict) and isinstance(archive.get("hdfs"), dict):
                yield from _hdfs(template.path + ("archiveLocation", "hdfs"), archive["hdfs"],
                                 f"the archiveLocation of {label(template)}")


def _artifacts(template, section):
    template_type = None
    path = template.path + (section, "artifacts")
    for i, artifact in enumerate(as_list(as_dict(template.data[section]).get("artifacts"))):
        if isinstance(artifact, dict):
            template_type = template_type or template.type
            yield from _artifact(template, template_type, section, path + (i,), artifact)


def _artifact(template, template_type, section, path, artifact):
    name = artifact.get("name")
    what = (f"{section[:-1]} artifact '{name}' of {label(template)}" if isinstance(name, str)
            else f"an {section[:-1]} artifact of {label(template)}")
    artifact_path = artifact.get("path")
    if template_type in LEAF_TYPES:
        if blank(artifact_path):
            yield Finding(path + ("name",) if isinstance(name, str) else path, f"{what} has no `path`",
                          hint=f"add `path:` (where the file is {'put' if section == 'inputs' else 'found'} "
                          f"in the {template_type} template's container)")
        elif isinstance(artifact_path, str) and _escapes(artifact_path):
            yield Finding(path + ("path",), f"the path '{artifact_path}' of {what} climbs out of its directory "
                          "with '..': Argo does not allow directory traversal", hint="write the path without '..'")
    elif template_type in NON_LEAF_TYPES and not blank(artifact_path):
        yield Finding(path + ("path",), f"{what} has a `path`, but a {template_type} template runs no container "
                      "of its own", hint="remove `path:`; the templates its steps or tasks call say where files go",
                      at="key")
    if section == "inputs":
        if "from" in artifact:
            yield Finding(path + ("from",), f"{what} has `from`, which only arguments take",
                          hint="pass the artifact from the step or task that calls this template "
                          "(arguments.artifacts: - {name: ..., from: ...}) and give the input a `path`", at="key")
        if isinstance(artifact.get("hdfs"), dict):
            yield from _hdfs(path + ("hdfs",), artifact["hdfs"], what)


def _escapes(path: str) -> bool:
    """Whether Argo's CleanPath refuses the path (tags read as plain words)."""
    if "{{" in path:
        from argolint.schema.formats import TAG

        path = TAG.sub("x", path)
    safe = ""
    if "/../" in path:
        safe = path[:path.index("/../")]
    elif _TRAILING_DOTDOT.search(path):
        safe = path[:-3]
    if not safe:
        return False
    cleaned = posixpath.normpath(path)
    if cleaned.startswith("//"):
        cleaned = cleaned[1:]
    return not cleaned.startswith(safe + "/") or len(cleaned) <= len(safe)


def _arguments(arguments, path, owner):
    for i, artifact in enumerate(as_list(as_dict(arguments).get("artifacts"))):
        if not isinstance(artifact, dict):
            continue
        name = artifact.get("name")
        what = f"argument artifact '{name}' of {owner}" if isinstance(name, str) else f"an argument artifact of {owner}"
        where = path + ("artifacts", i)
        has_from = not blank(artifact.get("from"))
        if has_from and not blank(artifact.get("fromExpression")):
            yield Finding(where + ("fromExpression",), f"{what} has both `from` and `fromExpression`",
                          hint="keep one of them", at="key")
        elif not has_from and not any(artifact.get(k) is not None for k in LOCATIONS + ("key",)):
            only_expression = not blank(artifact.get("fromExpression"))
            yield Finding(where + ("name",) if isinstance(name, str) else where,
                          f"{what} has no source" + (": Argo does not accept `fromExpression` in arguments"
                                                     if only_expression else ""),
                          hint="give it `from: \"{{steps.<step>.outputs.artifacts.<name>}}\"`, a location "
                          "(s3, git, http, raw ...) or a `key`")


def _hdfs(path, hdfs, what):
    where = f"the hdfs location of {what}"
    if not as_list(hdfs.get("addresses")):
        yield Finding(path + ("addresses",) if "addresses" in hdfs else path, f"{where} has no `addresses`",
                      hint="list the namenode addresses, e.g. [namenode:8020]", at="key")
    hdfs_path = hdfs.get("path")
    if "path" in hdfs and blank(hdfs_path):
        yield Finding(path + ("path",), f"{where} has an empty `path`", hint="give the absolute HDFS path")
    elif isinstance(hdfs_path, str) and "{{" not in hdfs_path and not hdfs_path.startswith("/"):
        yield Finding(path + ("path",), f"the path '{hdfs_path}' of {where} is not absolute",
                      hint=f"did you mean '/{hdfs_path}'?")
    keytab, ccache = hdfs.get("krbKeytabSecret") is not None, hdfs.get("krbCCacheSecret") is not None
    if blank(hdfs.get("hdfsUser")) and not keytab and not ccache:
        yield Finding(path, f"{where} has no credentials", at="key",
                      hint="set `hdfsUser`, or Kerberos `krbCCacheSecret` or `krbKeytabSecret`")
    needed = (("krbServicePrincipalName", "krbConfigConfigMap", "krbUsername", "krbRealm") if keytab else
              ("krbServicePrincipalName", "krbConfigConfigMap") if ccache else ())
    missing = [field for field in needed if blank(hdfs.get(field))]
    if missing:
        secret = "krbKeytabSecret" if keytab else "krbCCacheSecret"
        yield Finding(path + (secret,), f"{where} uses `{secret}` without {', '.join(missing)}",
                      hint=f"add {', '.join(f'`{m}`' for m in missing)}", at="key")
