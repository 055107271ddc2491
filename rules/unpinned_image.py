from argolint.diagnostics import Finding, Severity
from argolint.rules._pod_rule import PodRule


class UnpinnedImage(PodRule):
    """A container image without a tag, or tagged `latest`.

    ## What it does
    Checks the `image` of every container of the pod each container, script and
    containerSet template creates (init containers and sidecars, and a `templateDefaults`
    image, included): it must name a tag other than `latest`, or a digest (`@sha256:...`).
    Images built from `{{...}}` tags are not checked. A best-practice rule
    (`--select best-practice`); checkov's `CKV_K8S_14`, kube-linter's `latest-tag`.

    ## Why is this bad?
    `alpine` means `alpine:latest`, a tag that moves: the same workflow runs different code
    from one day to the next, a retry may run other code than the first attempt, and a
    result cannot be reproduced. With `latest` the kubelet also pulls the image for every
    pod (`imagePullPolicy: Always`).

    ## Example
    ```yaml
    container:
      image: python
    ```

    Use instead:
    ```yaml
    container:
      image: python:3.12.4-alpine
    ```
    """

    id = "unpinned-image"
    severity = Severity.WARNING
    category = "best-practice"

    def check_pods(self, pods, strict: bool):
        for pod in pods:
            for container in pod.containers:
                image = container.image
                if image is None or not isinstance(image.value, str) or "{{" in image.value or "@" in image.value:
                    continue
                last = image.value.rsplit("/", 1)[-1]
                tag = last.split(":", 1)[1] if ":" in last else None
                if tag is None:
                    yield Finding(image.path, f"image '{image.value}' has no tag: it means '{image.value}:latest', "
                                  "which moves", hint="pin a version tag or a digest (`@sha256:...`)")
                elif tag == "latest":
                    yield Finding(image.path, f"image '{image.value}' is tagged 'latest', which moves",
                                  hint="pin a version tag or a digest (`@sha256:...`)")
