"""Stage 4, analysis: templating grammars and scopes, DAG/steps/call graphs, the project index,
service accounts and RBAC."""
