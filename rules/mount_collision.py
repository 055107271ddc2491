from argolint.diagnostics import Finding
from argolint.rules._pod_templates import added_containers, as_dict, as_list, label, templates_setting
from argolint.rules.base import Rule

POD_TEMPLATES = ("container", "script", "containerSet")




class MountCollision(Rule):
    """Two volumes, or a volume and an input artifact, mounted at one path.

    ## What it does
    Checks that the `volumeMounts` of each container (the template's `container` or
    `script`, `containerSet.volumeMounts`, each sidecar, init container and containerSet
    container) use every `mountPath` once, that no two input artifacts of a pod template
    share a `path`, and that no input artifact of a container template has the `path` of
    one of its volume mounts. Argo's validator checks container templates only; the others
    fail when Kubernetes creates the pod (a container's mount paths must be unique, and
    Argo mounts each input artifact at its path). A script template's input artifact at a
    volume's mountPath is not reported: Argo then loads the artifact into that volume.
    Paths holding a `{{...}}` tag are left alone.

    ## Why is this bad?
    Argo rejects the workflow ("mountPath '/work' already mounted in
    container.volumeMounts.data"), or Kubernetes refuses the pod and the step fails.

    ## Example
    A second volume added for a cache, mounted where the workspace already is:
    ```yaml
    container:
      image: golang:1.23
      volumeMounts:
      - {name: workspace, mountPath: /src}
      - {name: go-cache, mountPath: /src}
    ```

    Use instead:
    ```yaml
      volumeMounts:
      - {name: workspace, mountPath: /src}
      - {name: go-cache, mountPath: /root/.cache/go-build}
    ```
    """

    id = "mount-collision"

    def check_document(self, ctx):
        for kind in ("container", "script"):
            for template in templates_setting(ctx, kind):
                body = template.data[kind]
                if isinstance(body, dict) and "volumeMounts" in body:
                    yield from self._mounts(ctx, template.path + (kind, "volumeMounts"), body["volumeMounts"])
        for template in templates_setting(ctx, "containerSet"):
            yield from self._mounts(ctx, template.path + ("containerSet", "volumeMounts"),
                                    as_dict(template.data["containerSet"]).get("volumeMounts"))
        for _, path, container, _ in added_containers(ctx):
            if "volumeMounts" in container:
                yield from self._mounts(ctx, path + ("volumeMounts",), container["volumeMounts"])
        for template in templates_setting(ctx, "inputs"):
            if "artifacts" in as_dict(template.data["inputs"]):
                yield from self._artifacts(ctx, template)

    def _mounts(self, ctx, path, mounts):
        first: dict = {}
        for i, mount in enumerate(as_list(mounts)):
            mount_path = as_dict(mount).get("mountPath")
            if not isinstance(mount_path, str) or "{{" in mount_path:
                continue
            if mount_path in first:
                line = ctx.document.span_of(path + (first[mount_path], "mountPath")).line
                yield Finding(path + (i, "mountPath"), f"mountPath '{mount_path}' is already mounted by the "
                              f"volume mount on line {line}: a container mounts one volume at a path",
                              hint="mount the second volume at another path, or use `subPath` to mount part "
                              "of one volume")
            else:
                first[mount_path] = i

    def _artifacts(self, ctx, template):
        data = template.data
        if not any(isinstance(data.get(k), dict) for k in POD_TEMPLATES):
            return
        mounted: dict = {}  # path -> (what, path of its value)
        if isinstance(data.get("container"), dict):
            mounts_path = template.path + ("container", "volumeMounts")
            for i, mount in enumerate(as_list(data["container"].get("volumeMounts"))):
                mount_path = as_dict(mount).get("mountPath")
                if isinstance(mount_path, str):
                    mounted.setdefault(mount_path, ("the volume mount", mounts_path + (i, "mountPath")))
        artifacts_path = template.path + ("inputs", "artifacts")
        for i, artifact in enumerate(as_list(as_dict(data.get("inputs")).get("artifacts"))):
            path = as_dict(artifact).get("path")
            if not isinstance(path, str) or "{{" in path:
                continue
            if path in mounted:
                what, where = mounted[path]
                line = ctx.document.span_of(where).line
                yield Finding(artifacts_path + (i, "path"), f"input artifact path '{path}' of {label(template)} "
                              f"is already mounted by {what} on line {line}",
                              hint="load the artifact to another path (or into a sub-directory of the volume)")
            else:
                mounted[path] = ("the input artifact", artifacts_path + (i, "path"))
