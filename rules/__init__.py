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
from argolint.rules.invalid_depends import InvalidDepends
from argolint.rules.invalid_type import InvalidType
from argolint.rules.invalid_value import InvalidValue
from argolint.rules.item_outside_loop import ItemOutsideLoop
from argolint.rules.missing_argument import MissingArgument
from argolint.rules.missing_field import MissingField
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
