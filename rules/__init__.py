"""The explicit registry of argolint's rules, in the order `argolint rules` lists them.

A rule module must import nothing heavy at module level (networkx, lark, jsonschema ...):
the registry is imported on every run, and those imports belong inside the hooks that need
them.
"""

from __future__ import annotations

from argolint.rules.dag_cycle import DagCycle
from argolint.rules.dangling_dependency import DanglingDependency
from argolint.rules.duplicate_key import DuplicateKey
from argolint.rules.duplicate_name import DuplicateName
from argolint.rules.expression_syntax import ExpressionSyntax
from argolint.rules.helm_template import HelmTemplate
from argolint.rules.input_too_large import InputTooLarge
from argolint.rules.infinite_recursion import InfiniteRecursion
from argolint.rules.insufficient_rbac import InsufficientRbac
from argolint.rules.internal_error import InternalError
from argolint.rules.invalid_call import InvalidCall
from argolint.rules.invalid_depends import InvalidDepends
from argolint.rules.invalid_hook import InvalidHook
from argolint.rules.invalid_loop import InvalidLoop
from argolint.rules.invalid_type import InvalidType
from argolint.rules.invalid_value import InvalidValue
from argolint.rules.item_outside_loop import ItemOutsideLoop
from argolint.rules.missing_argument import MissingArgument
from argolint.rules.missing_field import MissingField
from argolint.rules.misplaced_field import MisplacedField
from argolint.rules.missing_service_account import MissingServiceAccount
from argolint.rules.reference_order import ReferenceOrder
from argolint.rules.service_account_not_found import ServiceAccountNotFound
from argolint.rules.template_type import TemplateType
from argolint.rules.unknown_argument import UnknownArgument
from argolint.rules.unknown_field import UnknownField
from argolint.rules.unknown_output import UnknownOutput
from argolint.rules.unknown_template import UnknownTemplate
from argolint.rules.unknown_variable import UnknownVariable
from argolint.rules.unreadable_file import UnreadableFile
from argolint.rules.unresolved_template_ref import UnresolvedTemplateRef
from argolint.rules.unused_suppression import UnusedSuppression
from argolint.rules.unused_template import UnusedTemplate
from argolint.rules.invalid_artifact import InvalidArtifact
from argolint.rules.invalid_container_set import InvalidContainerSet
from argolint.rules.invalid_metric import InvalidMetric
from argolint.rules.invalid_output import InvalidOutput
from argolint.rules.invalid_resource import InvalidResource
from argolint.rules.missing_image import MissingImage
from argolint.rules.mount_collision import MountCollision
from argolint.rules.reserved_name import ReservedName
from argolint.rules.yaml_syntax import YamlSyntax
# security and best-practice rules (off by default)
from argolint.rules.added_capabilities import AddedCapabilities
from argolint.rules.apparmor_selinux import ApparmorSelinux
from argolint.rules.dynamic_pod_spec_patch import DynamicPodSpecPatch
from argolint.rules.host_namespace import HostNamespace
from argolint.rules.host_path_volume import HostPathVolume
from argolint.rules.host_port import HostPort
from argolint.rules.privilege_escalation import PrivilegeEscalation
from argolint.rules.privileged_container import PrivilegedContainer
from argolint.rules.proc_mount import ProcMount
from argolint.rules.run_as_root import RunAsRoot
from argolint.rules.seccomp_profile import SeccompProfile
from argolint.rules.template_injection import TemplateInjection
from argolint.rules.unsafe_sysctl import UnsafeSysctl
from argolint.rules.volume_type import VolumeType
from argolint.rules.default_service_account import DefaultServiceAccount
from argolint.rules.missing_cleanup import MissingCleanup
from argolint.rules.missing_deadline import MissingDeadline
from argolint.rules.missing_resources import MissingResources
from argolint.rules.plaintext_secret import PlaintextSecret
from argolint.rules.unbounded_retry import UnboundedRetry
from argolint.rules.unpinned_image import UnpinnedImage

RULES = [
    # input
    YamlSyntax,
    DuplicateKey,
    UnreadableFile,
    InputTooLarge,
    HelmTemplate,
    # structure
    UnknownField,
    InvalidType,
    MissingField,
    InvalidValue,
    TemplateType,
    MisplacedField,
    InvalidLoop,
    InvalidHook,
    DuplicateName,
    # leaf templates, artifacts, outputs and metrics (Argo's validator)
    MissingImage,
    ReservedName,
    MountCollision,
    InvalidContainerSet,
    InvalidResource,
    InvalidArtifact,
    InvalidOutput,
    InvalidMetric,
    # references
    UnknownTemplate,
    InvalidCall,
    UnresolvedTemplateRef,
    # templating: tags, expressions, scopes, arguments
    ExpressionSyntax,
    UnknownVariable,
    UnknownOutput,
    ReferenceOrder,
    ItemOutsideLoop,
    MissingArgument,
    UnknownArgument,
    # graphs
    DagCycle,
    DanglingDependency,
    InvalidDepends,
    UnusedTemplate,
    InfiniteRecursion,
    # accounts
    MissingServiceAccount,
    ServiceAccountNotFound,
    InsufficientRbac,
    # argolint itself
    UnusedSuppression,
    InternalError,
    # security: the Pod Security Standards, per template (off by default)
    PrivilegedContainer,
    PrivilegeEscalation,
    HostNamespace,
    HostPathVolume,
    HostPort,
    AddedCapabilities,
    ProcMount,
    UnsafeSysctl,
    SeccompProfile,
    ApparmorSelinux,
    RunAsRoot,
    VolumeType,
    DynamicPodSpecPatch,
    TemplateInjection,
    # best-practice: production readiness (off by default)
    UnpinnedImage,
    MissingResources,
    UnboundedRetry,
    MissingDeadline,
    MissingCleanup,
    PlaintextSecret,
    DefaultServiceAccount,
]

# Rules whose fail case cannot be written as a manifest: internal-error fires only on a bug.
NO_FIXTURES = frozenset({"internal-error"})


def by_id() -> dict:
    """Every rule id and alias -> its rule class."""
    table = {}
    for rule in RULES:
        table[rule.id] = rule
        for alias in rule.aliases:
            table[alias] = rule
    return table


def canonical(rule_id: str) -> str:
    """The current id of a rule id or of a renamed rule's old id."""
    rule = by_id().get(rule_id)
    return rule.id if rule is not None else rule_id
