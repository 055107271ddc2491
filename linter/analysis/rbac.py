"""The RBAC of the inputs, and the one question the rules ask it: may this account do this?

Built once per lint run from the ServiceAccounts, Roles, ClusterRoles (aggregated ones
included), RoleBindings and ClusterRoleBindings among the files given and the template
paths, and kept in `Project.analyses`. Authorization follows Kubernetes' RBAC authorizer:
a namespaced request is allowed by a ClusterRoleBinding, or by a RoleBinding of the
request's namespace (to a Role of that namespace or to a ClusterRole); a cluster-scoped
request only by a ClusterRoleBinding. Documents without `metadata.namespace` are in the
configured default namespace, as `kubectl apply` would place them.
"""

from __future__ import annotations

from typing import Iterable, Optional

from argolint.diagnostics import FrozenRecord, Record

ACCOUNT_KINDS = frozenset({"ServiceAccount"})
PERMISSION_KINDS = frozenset({"Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"})

# Built-in ClusterRoles every cluster has. cluster-admin allows everything; what the others
# allow depends on the cluster's aggregated roles, so a binding to them decides nothing.
CLUSTER_ADMIN = "cluster-admin"
UNKNOWABLE_CLUSTER_ROLES = frozenset({"admin", "edit", "view"})

VERB_ORDER = ("get", "list", "watch", "create", "update", "patch", "delete")


def _strings(value) -> frozenset:
    return frozenset(v for v in value if isinstance(v, str)) if isinstance(value, list) else frozenset()


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _str(value) -> Optional[str]:
    return value if isinstance(value, str) and value else None


class Permission(FrozenRecord):
    """One request: a verb on a resource (`plural` or `plural/subresource`) of an API group,
    in a namespace (None: cluster-scoped), optionally on one named object."""

    _fields = ("verb", "group", "resource", "namespace", "name")

    def __init__(self, verb: str, group: str, resource: str, namespace: Optional[str], name: Optional[str] = None):
        self.verb = verb
        self.group = group
        self.resource = resource
        self.namespace = namespace
        self.name = name

    @property
    def target(self) -> str:
        """`workflowtaskresults.argoproj.io`, `configmaps` (core), `workflowtasksets.argoproj.io/status`."""
        base, _, sub = self.resource.partition("/")
        text = f"{base}.{self.group}" if self.group else base
        return f"{text}/{sub}" if sub else text


class PolicyRule(FrozenRecord):
    _fields = ("verbs", "api_groups", "resources", "resource_names")

    def __init__(self, verbs: frozenset, api_groups: frozenset, resources: frozenset, resource_names: frozenset):
        self.verbs = verbs
        self.api_groups = api_groups
        self.resources = resources
        self.resource_names = resource_names

    @classmethod
    def of(cls, data) -> "PolicyRule":
        data = _dict(data)
        return cls(_strings(data.get("verbs")), _strings(data.get("apiGroups")),
                   _strings(data.get("resources")), _strings(data.get("resourceNames")))

    def allows(self, p: Permission) -> bool:
        if "*" not in self.verbs and p.verb not in self.verbs:
            return False
        if "*" not in self.api_groups and p.group not in self.api_groups:
            return False
        if not self._resource_matches(p.resource):
            return False
        # A create request carries no name, so rules restricted by name never allow it.
        return not self.resource_names or (p.name is not None and p.name in self.resource_names)

    def _resource_matches(self, resource: str) -> bool:
        if "*" in self.resources or resource in self.resources:
            return True
        _, slash, sub = resource.partition("/")
        return bool(slash) and f"*/{sub}" in self.resources


ALLOW_ALL = (PolicyRule(frozenset("*"), frozenset("*"), frozenset("*"), frozenset()),)


def _selector_matches(selector, labels: dict) -> bool:
    """A Kubernetes LabelSelector (matchLabels and matchExpressions); {} matches everything."""
    selector = _dict(selector)
    for key, value in _dict(selector.get("matchLabels")).items():
        if labels.get(key) != value:
            return False
    for expr in selector.get("matchExpressions") or []:
        expr = _dict(expr)
        key, op, values = expr.get("key"), expr.get("operator"), _strings(expr.get("values"))
        present = key in labels
        if op == "In" and not (present and labels[key] in values):
            return False
        if op == "NotIn" and present and labels[key] in values:
            return False
        if op == "Exists" and not present:
            return False
        if op == "DoesNotExist" and present:
            return False
    return True


class RoleDef(Record):
    _fields = ("kind", "name", "namespace", "rules", "labels", "aggregation")

    def __init__(self, kind: str, name: str, namespace: Optional[str], rules: tuple, labels: dict, aggregation: list):
        self.kind = kind  # Role or ClusterRole
        self.name = name
        self.namespace = namespace  # None for a ClusterRole
        self.rules = rules
        self.labels = labels
        self.aggregation = aggregation  # clusterRoleSelectors of an aggregated ClusterRole


class Binding(Record):
    _fields = ("kind", "name", "namespace", "role_kind", "role_name", "subjects")
    # compared and hashed by identity: two bindings may look alike
    __eq__ = object.__eq__
    __hash__ = object.__hash__

    def __init__(self, kind: str, name: str, namespace: Optional[str], role_kind: str, role_name: str,
                 subjects: list):
        self.kind = kind  # RoleBinding or ClusterRoleBinding
        self.name = name
        self.namespace = namespace  # None for a ClusterRoleBinding
        self.role_kind = role_kind
        self.role_name = role_name
        self.subjects = subjects

    def describe(self) -> str:
        where = f" in namespace '{self.namespace}'" if self.namespace is not None else ""
        return f"{self.kind} '{self.name}'{where} -> {self.role_kind} '{self.role_name}'"


class Decision(Record):
    """Whether an account may make a request: True, False, or None when a binding refers to
    a built-in ClusterRole whose rules the inputs do not show. `considered` are the
    bindings that apply to the account in the request's namespace; `missing_roles` the
    roleRefs among them that name no role of the inputs."""

    _fields = ("allowed", "considered", "missing_roles")

    def __init__(self, allowed: Optional[bool], considered: Optional[list] = None,
                 missing_roles: Optional[list] = None):
        self.allowed = allowed
        self.considered = [] if considered is None else considered
        self.missing_roles = [] if missing_roles is None else missing_roles  # (Binding, closest role name or None)


class RbacModel:
    def __init__(self, documents: dict, default_namespace: str):
        """`documents`: kind -> Documents (Project.by_kind)."""
        self.default_namespace = default_namespace
        self.accounts: dict[str, set] = {}
        for doc in documents.get("ServiceAccount", ()):
            name = _str(doc.metadata.get("name"))
            if name:
                self.accounts.setdefault(self._namespace_of(doc), set()).add(name)
        self.roles: dict[tuple, RoleDef] = {}
        self.cluster_roles: dict[str, RoleDef] = {}
        for kind in ("Role", "ClusterRole"):
            for doc in documents.get(kind, ()):
                role = self._role(doc, kind)
                if role is None:
                    continue
                if kind == "Role":
                    self.roles.setdefault((role.namespace, role.name), role)
                else:
                    self.cluster_roles.setdefault(role.name, role)
        self.bindings: list[Binding] = []
        for kind in ("RoleBinding", "ClusterRoleBinding"):
            for doc in documents.get(kind, ()):
                binding = self._binding(doc, kind)
                if binding is not None:
                    self.bindings.append(binding)
        self._index_subjects()
        self._decisions: dict = {}
        self.has_accounts = bool(documents.get("ServiceAccount"))
        self.has_permissions = any(documents.get(k) for k in PERMISSION_KINDS)
        self._aggregated: dict[str, tuple] = {}

    # -- reading the documents -------------------------------------------------------------

    def _namespace_of(self, doc) -> str:
        return doc.namespace or self.default_namespace

    def _role(self, doc, kind: str) -> Optional[RoleDef]:
        name = _str(doc.metadata.get("name"))
        if name is None:
            return None
        data = _dict(doc.data)
        rules = tuple(PolicyRule.of(r) for r in data.get("rules") or [] if isinstance(r, dict))
        labels = {k: v for k, v in _dict(doc.metadata.get("labels")).items() if isinstance(k, str)}
        selectors = _dict(data.get("aggregationRule")).get("clusterRoleSelectors")
        return RoleDef(kind, name, self._namespace_of(doc) if kind == "Role" else None, rules, labels,
                       [s for s in selectors if isinstance(s, dict)] if isinstance(selectors, list) else [])

    def _binding(self, doc, kind: str) -> Optional[Binding]:
        name = _str(doc.metadata.get("name"))
        role_ref = _dict(_dict(doc.data).get("roleRef"))
        role_kind, role_name = _str(role_ref.get("kind")), _str(role_ref.get("name"))
        if name is None or role_kind not in ("Role", "ClusterRole") or role_name is None:
            return None
        if kind == "ClusterRoleBinding" and role_kind == "Role":
            return None  # not a valid binding: the API server rejects it
        subjects = [s for s in _dict(doc.data).get("subjects") or [] if isinstance(s, dict)]
        return Binding(kind, name, self._namespace_of(doc) if kind == "RoleBinding" else None,
                       role_kind, role_name, subjects)

    # -- accounts ----------------------------------------------------------------------------

    def account_exists(self, namespace: str, name: str) -> bool:
        """Every namespace has its `default` account; others must be among the inputs."""
        return name == "default" or name in self.accounts.get(namespace, ())

    def namespaces_with_account(self, name: str) -> list[str]:
        return sorted(ns for ns, names in self.accounts.items() if name in names)

    def account_names(self, namespace: Optional[str] = None) -> list[str]:
        if namespace is not None:
            return sorted(self.accounts.get(namespace, ()))
        return sorted({n for names in self.accounts.values() for n in names})

    # -- bindings ----------------------------------------------------------------------------

    def _index_subjects(self) -> None:
        """Bindings by the accounts they bind, so a question never scans every binding."""
        self._by_account: dict = {}  # (namespace, account) -> [Binding]
        self._by_group: dict = {}  # namespace, or "*" for every account -> [Binding]
        self._by_name: dict = {}  # account name -> [Binding] naming it as a subject
        for binding in self.bindings:
            for subject in binding.subjects:
                kind, name = subject.get("kind"), _str(subject.get("name"))
                if name is None:
                    continue
                if kind == "ServiceAccount":
                    # A RoleBinding's subject without a namespace means the binding's namespace.
                    namespace = _str(subject.get("namespace")) or binding.namespace or self.default_namespace
                    self._by_account.setdefault((namespace, name), []).append(binding)
                    self._by_name.setdefault(name, []).append(binding)
                elif kind == "User" and name.startswith("system:serviceaccount:") and name.count(":") == 3:
                    _, _, namespace, account = name.split(":")
                    self._by_account.setdefault((namespace, account), []).append(binding)
                elif kind == "Group" and name in ("system:serviceaccounts", "system:authenticated"):
                    self._by_group.setdefault("*", []).append(binding)
                elif kind == "Group" and name.startswith("system:serviceaccounts:"):
                    self._by_group.setdefault(name.split(":", 2)[2], []).append(binding)
        self._account_bindings: dict = {}
        self._order = {binding: i for i, binding in enumerate(self.bindings)}

    def _bindings_of_account(self, namespace: str, account: str) -> list[Binding]:
        key = (namespace, account)
        found = self._account_bindings.get(key)
        if found is None:
            candidates = (self._by_account.get(key, []) + self._by_group.get(namespace, [])
                          + self._by_group.get("*", []))
            found = self._account_bindings[key] = sorted(dict.fromkeys(candidates), key=self._order.__getitem__)
        return found

    def bindings_of(self, namespace: str, account: str, request_namespace: Optional[str]) -> list[Binding]:
        """The bindings that give account `namespace/account` rights for a request in
        `request_namespace` (None: a cluster-scoped request)."""
        return [b for b in self._bindings_of_account(namespace, account)
                if b.kind == "ClusterRoleBinding" or (request_namespace is not None and b.namespace == request_namespace)]

    def bindings_elsewhere(self, namespace: str, account: str, request_namespace: Optional[str]) -> list[Binding]:
        """RoleBindings that name a ServiceAccount called `account` but do not apply: they
        are in another namespace, or bind the account of another namespace."""
        applicable = self.bindings_of(namespace, account, request_namespace)
        return [b for b in dict.fromkeys(self._by_name.get(account, [])) if b not in applicable]

    # -- roles -------------------------------------------------------------------------------

    def rules_of(self, binding: Binding) -> Optional[tuple]:
        """The rules a binding grants: () when its role is not among the inputs, None when
        it is a built-in ClusterRole whose rules depend on the cluster."""
        if binding.role_kind == "Role":
            role = self.roles.get((binding.namespace, binding.role_name))
            return role.rules if role is not None else ()
        return self._cluster_role_rules(binding.role_name, set())

    def _cluster_role_rules(self, name: str, visiting: set) -> Optional[tuple]:
        if name in self._aggregated:
            return self._aggregated[name]
        outermost = not visiting
        role = self.cluster_roles.get(name)
        if role is None:
            if name == CLUSTER_ADMIN:
                return ALLOW_ALL
            if name in UNKNOWABLE_CLUSTER_ROLES or name.startswith("system:"):
                return None
            return ()
        rules = role.rules
        if role.aggregation and name not in visiting:
            visiting = visiting | {name}
            # The controller fills an aggregated ClusterRole with the rules of every
            # ClusterRole whose labels match one of its selectors.
            for other in self.cluster_roles.values():
                if other.name != name and any(_selector_matches(s, other.labels) for s in role.aggregation):
                    rules = rules + (self._cluster_role_rules(other.name, visiting) or ())
        if outermost:
            self._aggregated[name] = rules
        return rules

    def closest_role(self, binding: Binding) -> Optional[str]:
        """The role of the inputs a binding's roleRef probably meant, when it names none."""
        from argolint.diagnostics import closest

        if binding.role_kind == "Role":
            names = [n for (ns, n) in self.roles if ns == binding.namespace]
        else:
            names = list(self.cluster_roles)
        return closest(binding.role_name, names)

    def role_missing(self, binding: Binding) -> bool:
        if binding.role_kind == "Role":
            return (binding.namespace, binding.role_name) not in self.roles
        name = binding.role_name
        return (name not in self.cluster_roles and name != CLUSTER_ADMIN
                and name not in UNKNOWABLE_CLUSTER_ROLES and not name.startswith("system:"))

    # -- the question ------------------------------------------------------------------------

    def decide(self, namespace: str, account: str, permission: Permission) -> Decision:
        key = (namespace, account, permission)
        decision = self._decisions.get(key)
        if decision is None:
            decision = self._decisions[key] = self._decide(namespace, account, permission)
        return decision

    def _decide(self, namespace: str, account: str, permission: Permission) -> Decision:
        considered = self.bindings_of(namespace, account, permission.namespace)
        unknown = False
        for binding in considered:
            rules = self.rules_of(binding)
            if rules is None:
                unknown = True
            elif any(rule.allows(permission) for rule in rules):
                return Decision(True, considered)
        missing = [(b, self.closest_role(b)) for b in considered if self.role_missing(b)]
        return Decision(None if unknown else False, considered, missing)


def rbac_model(project, config) -> RbacModel:
    """The project's RBAC model, built on first use and kept for the whole run."""
    key = ("rbac", config.namespace)
    model = project.analyses.get(key)
    if model is None:
        model = project.analyses[key] = RbacModel(project.by_kind, config.namespace)
    return model


def checks_accounts(project, config) -> bool:
    """Whether named accounts must be among the inputs: `rbac: always`, or `auto` with a
    ServiceAccount among them."""
    return config.rbac == "always" or (config.rbac == "auto" and rbac_model(project, config).has_accounts)


def checks_permissions(project, config) -> bool:
    """Whether permissions are checked: `rbac: always`, or `auto` with a Role, ClusterRole
    or binding among the inputs."""
    return config.rbac == "always" or (config.rbac == "auto" and rbac_model(project, config).has_permissions)


def verb_list(verbs: Iterable[str]) -> str:
    """'create' and 'patch', in the order Kubernetes documents verbs."""
    ordered = sorted(set(verbs), key=lambda v: (VERB_ORDER.index(v) if v in VERB_ORDER else len(VERB_ORDER), v))
    quoted = [f"'{v}'" for v in ordered]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
