"""Stage 4, analysis: templating grammars and scopes, DAG/steps/call graphs, the project index,
service accounts and RBAC."""


def per_document(ctx, key: str, compute):
    """`compute(ctx)`, made once per linted document and shared by every rule that asks
    (kept in the rule context's `cache` under `key`)."""
    found = ctx.cache.get(key)
    if found is None:
        found = ctx.cache[key] = compute(ctx)
    return found
