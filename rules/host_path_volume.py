from argolint.diagnostics import Finding, Severity
from argolint.rules._pod_rule import PodRule

# Host paths that give a container the node (its container runtime, its credentials, its
# kernel's interfaces) rather than just some files of it.
SENSITIVE = ("/", "/etc", "/proc", "/sys", "/dev", "/root", "/boot", "/var/lib/kubelet", "/var/lib/docker",
             "/var/lib/containerd", "/var/run", "/run", "/etc/kubernetes", "/var/log")
RUNTIME_SOCKETS = ("docker.sock", "containerd.sock", "crio.sock", "cri-dockerd.sock")


class HostPathVolume(PodRule):
    """A workflow pod mounts a directory or file of the node (`hostPath`).

    ## What it does
    Checks the volumes of the pod of every container, script and containerSet template
    (the workflow's `spec.volumes`, the template's `volumes`, literal `podSpecPatch`es) for
    `hostPath`. The message says when the path is the container runtime's socket
    (`docker.sock`, `containerd.sock` ...) or a sensitive directory of the node (`/`,
    `/etc`, `/proc`, `/var/lib/kubelet` ...). Part of the Pod Security Standards' Baseline
    profile (`--select security`); kube-linter's `sensitive-host-mounts` and `docker-sock`.

    ## Why is this bad?
    A hostPath volume breaks the pod out of its filesystem: it reads or writes the node's
    files, and with the runtime's socket it starts privileged containers on the node at
    will. Pod Security admission rejects such a pod under `baseline`.

    ## Example
    ```yaml
    volumes:
    - name: docker
      hostPath:
        path: /var/run/docker.sock
    ```

    Use instead: a volume of the pod's own (emptyDir, a PersistentVolumeClaim, an artifact):
    ```yaml
    volumes:
    - name: workdir
      emptyDir: {}
    ```
    """

    id = "host-path-volume"
    severity = Severity.ERROR
    security_severity = "8.0"

    def check_pods(self, pods, strict: bool):
        for pod in pods:
            for volume in pod.volumes:
                data = volume.value if isinstance(volume.value, dict) else {}
                host_path = data.get("hostPath")
                if not isinstance(host_path, dict):
                    continue
                path = host_path.get("path")
                what = f"the node's path '{path}'" if isinstance(path, str) else "a path of the node"
                danger = _danger(path)
                at = volume.path_to("hostPath")
                yield Finding(at, f"volume '{data.get('name')}' of {pod.whose(volume, shared='the workflow')} mounts {what}"
                              f"{volume.where}{danger}",
                              hint="use an emptyDir, a PersistentVolumeClaim or an artifact instead",
                              at=volume.at)


def _danger(path) -> str:
    if not isinstance(path, str):
        return ""
    clean = "/" + path.strip("/")
    if clean.rsplit("/", 1)[-1] in RUNTIME_SOCKETS:
        return ": the container runtime's socket, which starts privileged containers on the node"
    if clean in SENSITIVE:
        return ": a sensitive directory of the node"
    return ""
