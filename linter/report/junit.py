"""`--format junit`: JUnit XML for CI test reports (GitLab `artifacts:reports:junit`,
Jenkins, Azure). One test suite per file linted; one failing test case per diagnostic,
or one passing case for a clean file, so a clean run still reports what was checked."""

from __future__ import annotations

from xml.etree import ElementTree as ET


def render(result) -> str:
    by_file: dict = {path: [] for path in result.sources}
    for d in result.diagnostics:
        by_file.setdefault(d.file, []).append(d)
    suites = ET.Element("testsuites", name="argolint", tests="0", failures="0", errors="0")
    total = 0
    for path, diagnostics in by_file.items():
        cases = max(1, len(diagnostics))
        total += cases
        suite = ET.SubElement(suites, "testsuite", name=path, tests=str(cases), failures=str(len(diagnostics)),
                              errors="0", skipped="0")
        if not diagnostics:
            ET.SubElement(suite, "testcase", name="argolint", classname=path, file=path)
        for d in diagnostics:
            case = ET.SubElement(suite, "testcase", name=f"{d.rule} at {d.line}:{d.column}", classname=path,
                                 file=path, line=str(d.line))
            message = d.message + (f"; {d.hint}" if d.hint else "")
            failure = ET.SubElement(case, "failure", message=message, type=d.severity.value)
            failure.text = f"{path}:{d.line}:{d.column}: {d.severity.value}: {message} [{d.rule}]"
    suites.set("tests", str(total))
    suites.set("failures", str(len(result.diagnostics)))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
