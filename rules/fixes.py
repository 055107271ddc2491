"""Which rules' diagnostics carry fixes, and what the fixes do (`argolint rules` shows the
first word, `argolint explain` the sentence).

"safe": `argolint --fix` applies the fix (unchanged meaning, or certainly intended);
"unsafe": the fix is a guess that `--unsafe-fixes` applies, to be reviewed. A rule listed
as "safe" may also offer unsafe fixes where it is less sure.
"""

_RENAME = ("writes the name it suggests in place of the misspelt one, quoted as the YAML "
           "around it needs: safe when that name is the only one within one typing slip (a "
           "character added, dropped or changed, or two swapped), "
           "unsafe otherwise.")

FIXES = {
    "unknown-field": ("safe", "The fix renames the key: " + _RENAME + " A key in the wrong place has no fix."),
    "invalid-type": ("safe", "A plain scalar YAML 1.1 reads as a boolean or a number where a string is expected "
                     "(`name: n`, `on`, `yes`, `012`, `1e3`) is put in double quotes, as written: safe."),
    "invalid-value": ("unsafe", "A value outside an enum becomes the closest allowed value: unsafe."),
    "unknown-template": ("safe", "The fix " + _RENAME),
    "unresolved-template-ref": ("unsafe", "The reference becomes the closest WorkflowTemplate among the inputs: "
                                "unsafe."),
    "unknown-variable": ("safe", "The fix " + _RENAME),
    "unknown-output": ("safe", "The fix " + _RENAME),
    "unknown-argument": ("safe", "The fix " + _RENAME),
    "dangling-dependency": ("safe", "The fix " + _RENAME),
    "invalid-depends": ("safe", "A misspelt result (`A.Succeded`) is corrected (safe when unambiguous); "
                        "`dependencies: [A, B]` in a DAG using `depends` is folded into the task's `depends` "
                        "(`A && B`, after its own expression): unsafe."),
    "missing-service-account": ("unsafe", "Inserts `serviceAccountName` after `entrypoint`: the account named by "
                                "`fix.service-account` in the configuration, else the only ServiceAccount the "
                                "RBAC inputs let do the executor's work, else one of the inputs' ServiceAccounts, "
                                "else `argo-workflow`: unsafe."),
    "service-account-not-found": ("unsafe", "The name becomes the closest ServiceAccount among the inputs: unsafe."),
    "unused-suppression": ("safe", "Removes the unused rule id from the comment, or the whole comment (its line "
                           "when it stands alone): safe. An unknown id close to a rule id is corrected instead."),
}
