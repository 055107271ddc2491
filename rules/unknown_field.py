from argolint.rules.base import Rule


class UnknownField(Rule):
    """A key that the Argo or Kubernetes schema does not have at that place.

    ## What it does
    Checks every key of a Workflow, WorkflowTemplate, ClusterWorkflowTemplate or
    CronWorkflow against Argo's schema, Kubernetes parts included (container, resources,
    env, volumes, volumeMounts, securityContext, affinity, probes ...). Free-form maps
    (labels, annotations, nodeSelector, a plugin's body) take any key. The hint names the
    closest valid key ("did you mean 'dependencies'?"), the right spelling of a
    wrong-case key, the field a misplaced key belongs under, or else the valid keys.

    ## Why is this bad?
    The cluster drops an unknown key silently, so a typo such as `dependecies:` or
    `serviceAcountName:` is not an error there: the workflow runs, just not as written
    (tasks in parallel instead of in order, pods under the wrong account). `argo lint`
    reports some of these only in its strict mode, one at a time.

    ## Example
    ```yaml
    dag:
      tasks:
      - name: B
        template: echo
        dependecies: [A]
    ```

    Use instead:
    ```yaml
    dag:
      tasks:
      - name: B
        template: echo
        dependencies: [A]
    ```
    """

    id = "unknown-field"

    def check_document(self, ctx):
        from argolint.schema import schema_findings

        return schema_findings(ctx)[self.id]
