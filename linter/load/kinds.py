"""Kubernetes kinds as RBAC sees them: API group, plural resource name, scope.

A resource template's manifest names a kind; RBAC rules name resources. The core and
common built-in kinds and Argo's own kinds are listed here; any other kind gets a
lowercase English plural (what CRDs almost always use), marked as derived so messages can
say so.
"""

from __future__ import annotations

from typing import Optional

from argolint.diagnostics import FrozenRecord

# kind -> (API group, plural, cluster-scoped)
KNOWN_KINDS: dict[str, tuple[str, str, bool]] = {
    # core
    "Pod": ("", "pods", False),
    "Service": ("", "services", False),
    "ConfigMap": ("", "configmaps", False),
    "Secret": ("", "secrets", False),
    "ServiceAccount": ("", "serviceaccounts", False),
    "PersistentVolumeClaim": ("", "persistentvolumeclaims", False),
    "PersistentVolume": ("", "persistentvolumes", True),
    "Namespace": ("", "namespaces", True),
    "Node": ("", "nodes", True),
    "Endpoints": ("", "endpoints", False),
    "Event": ("", "events", False),
    "LimitRange": ("", "limitranges", False),
    "ResourceQuota": ("", "resourcequotas", False),
    "ReplicationController": ("", "replicationcontrollers", False),
    "PodTemplate": ("", "podtemplates", False),
    # apps, batch, autoscaling, policy, networking
    "Deployment": ("apps", "deployments", False),
    "StatefulSet": ("apps", "statefulsets", False),
    "DaemonSet": ("apps", "daemonsets", False),
    "ReplicaSet": ("apps", "replicasets", False),
    "ControllerRevision": ("apps", "controllerrevisions", False),
    "Job": ("batch", "jobs", False),
    "CronJob": ("batch", "cronjobs", False),
    "HorizontalPodAutoscaler": ("autoscaling", "horizontalpodautoscalers", False),
    "PodDisruptionBudget": ("policy", "poddisruptionbudgets", False),
    "Ingress": ("networking.k8s.io", "ingresses", False),
    "IngressClass": ("networking.k8s.io", "ingressclasses", True),
    "NetworkPolicy": ("networking.k8s.io", "networkpolicies", False),
    "EndpointSlice": ("discovery.k8s.io", "endpointslices", False),
    "Lease": ("coordination.k8s.io", "leases", False),
    "PriorityClass": ("scheduling.k8s.io", "priorityclasses", True),
    "StorageClass": ("storage.k8s.io", "storageclasses", True),
    "VolumeAttachment": ("storage.k8s.io", "volumeattachments", True),
    "CSIDriver": ("storage.k8s.io", "csidrivers", True),
    "CustomResourceDefinition": ("apiextensions.k8s.io", "customresourcedefinitions", True),
    "ValidatingWebhookConfiguration": ("admissionregistration.k8s.io", "validatingwebhookconfigurations", True),
    "MutatingWebhookConfiguration": ("admissionregistration.k8s.io", "mutatingwebhookconfigurations", True),
    "Role": ("rbac.authorization.k8s.io", "roles", False),
    "RoleBinding": ("rbac.authorization.k8s.io", "rolebindings", False),
    "ClusterRole": ("rbac.authorization.k8s.io", "clusterroles", True),
    "ClusterRoleBinding": ("rbac.authorization.k8s.io", "clusterrolebindings", True),
    # Argo Workflows
    "Workflow": ("argoproj.io", "workflows", False),
    "WorkflowTemplate": ("argoproj.io", "workflowtemplates", False),
    "ClusterWorkflowTemplate": ("argoproj.io", "clusterworkflowtemplates", True),
    "CronWorkflow": ("argoproj.io", "cronworkflows", False),
    "WorkflowTaskResult": ("argoproj.io", "workflowtaskresults", False),
    "WorkflowTaskSet": ("argoproj.io", "workflowtasksets", False),
    "WorkflowEventBinding": ("argoproj.io", "workfloweventbindings", False),
    "WorkflowArtifactGCTask": ("argoproj.io", "workflowartifactgctasks", False),
    # other argoproj.io projects often driven from workflows
    "Sensor": ("argoproj.io", "sensors", False),
    "EventSource": ("argoproj.io", "eventsources", False),
    "EventBus": ("argoproj.io", "eventbus", False),
    "Rollout": ("argoproj.io", "rollouts", False),
    "Application": ("argoproj.io", "applications", False),
    "AppProject": ("argoproj.io", "appprojects", False),
}

# kubectl's short names, for `kubectl delete cm ...`-style resource template flags.
SHORT_NAMES = {
    "po": "Pod", "svc": "Service", "cm": "ConfigMap", "sa": "ServiceAccount", "pvc": "PersistentVolumeClaim",
    "pv": "PersistentVolume", "ns": "Namespace", "no": "Node", "ep": "Endpoints", "ev": "Event",
    "limits": "LimitRange", "quota": "ResourceQuota", "rc": "ReplicationController", "deploy": "Deployment",
    "sts": "StatefulSet", "ds": "DaemonSet", "rs": "ReplicaSet", "cj": "CronJob", "hpa": "HorizontalPodAutoscaler",
    "pdb": "PodDisruptionBudget", "ing": "Ingress", "netpol": "NetworkPolicy", "pc": "PriorityClass",
    "sc": "StorageClass", "crd": "CustomResourceDefinition", "wf": "Workflow", "wftmpl": "WorkflowTemplate",
    "cwftmpl": "ClusterWorkflowTemplate", "cwf": "CronWorkflow",
}


class Resource(FrozenRecord):
    _fields = ("kind", "group", "plural", "cluster_scoped", "derived")

    def __init__(self, kind: str, group: str, plural: str, cluster_scoped: bool, derived: bool):
        self.kind = kind
        self.group = group
        self.plural = plural
        self.cluster_scoped = cluster_scoped
        self.derived = derived  # the plural was guessed from an unknown kind


def plural_of(kind: str) -> str:
    word = kind.lower()
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def group_of(api_version: Optional[str]) -> Optional[str]:
    """`apps/v1` -> `apps`; `v1` -> `` (core); None when absent."""
    if not isinstance(api_version, str) or not api_version:
        return None
    return api_version.rsplit("/", 1)[0] if "/" in api_version else ""


def resource_of(kind: str, api_version: Optional[str]) -> Resource:
    """The RBAC resource of a manifest's kind; its apiVersion's group wins over the table's."""
    group = group_of(api_version)
    known = KNOWN_KINDS.get(kind)
    if known is not None:
        known_group, plural, cluster_scoped = known
        return Resource(kind, known_group if group is None else group, plural, cluster_scoped, False)
    return Resource(kind, group or "", plural_of(kind), False, True)


def resource_of_type(word: str) -> Optional[Resource]:
    """The resource a kubectl type argument (`configmap`, `configmaps`, `cm`,
    `deployments.apps`) names, when it is a known one."""
    word = word.split("/", 1)[0].lower()
    name, _, group = word.partition(".")
    kind = SHORT_NAMES.get(name)
    if kind is None:
        kind = next((k for k, (_, plural, _) in KNOWN_KINDS.items() if name in (k.lower(), plural)), None)
    if kind is None:
        return None
    known_group, plural, cluster_scoped = KNOWN_KINDS[kind]
    return Resource(kind, group or known_group, plural, cluster_scoped, False)
