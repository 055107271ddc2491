from argolint.diagnostics import Finding, Severity
from argolint.rules._pod_rule import PodRule

ALLOWED = ("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret")


class VolumeType(PodRule):
    """A workflow pod uses a volume type the Restricted profile does not allow.

    ## What it does
    With `security: {profile: restricted}`, checks every volume of the pod each container,
    script and containerSet template creates (the workflow's `spec.volumes`, the template's
    `volumes`, literal `podSpecPatch`es): its type must be one of configMap, csi,
    downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret. A hostPath
    volume is `host-path-volume`'s, under both profiles. Nothing is reported under Baseline.

    ## Why is this bad?
    The other types (nfs, iscsi, cephfs, gitRepo ...) mount storage straight from the pod
    spec, bypassing the PersistentVolume objects through which a cluster administrator
    controls storage; `gitRepo` even runs git on the node.

    ## Example
    ```yaml
    volumes:
    - name: data
      nfs:
        server: nfs.example.com
        path: /exports
    ```

    Use instead: a PersistentVolumeClaim bound to a PersistentVolume for that share:
    ```yaml
    volumes:
    - name: data
      persistentVolumeClaim:
        claimName: shared-data
    ```
    """

    id = "volume-type"
    severity = Severity.WARNING
    security_severity = "4.0"

    def check_pods(self, pods, strict: bool):
        if not strict:
            return
        for pod in pods:
            for volume in pod.volumes:
                data = volume.value if isinstance(volume.value, dict) else {}
                kinds = [k for k in data if k != "name" and k != "hostPath" and k not in ALLOWED]
                for kind in kinds:
                    path = volume.path_to(kind)
                    yield Finding(path, f"volume '{data.get('name')}' of {pod.whose(volume, shared='the workflow')} is of type "
                                  f"'{kind}'{volume.where}; the restricted profile allows only {', '.join(ALLOWED)}",
                                  hint="use a persistentVolumeClaim (or another allowed type) instead",
                                  at=volume.at)
