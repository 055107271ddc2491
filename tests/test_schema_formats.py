"""The value checks behind invalid-value: what Argo's parsers accept, case by case."""

from __future__ import annotations

import pytest

from argolint.schema import formats


@pytest.mark.parametrize("schedule", [
    "* * * * *", "*/5 * * * *", "0 2 * * MON-FRI", "0 0 1 jan,jul ?", "15 3/4 * * *", "0 0 * * sun",
    "0-30/10 8-18 1,15 * 1-5", "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight",
    "@hourly", "@every 1h30m", "@every 90s", "CRON_TZ=Asia/Tokyo 0 9 * * *", "TZ=UTC @daily",
])
def test_schedules_robfig_cron_accepts(schedule):
    assert formats.cron(schedule) is None


@pytest.mark.parametrize("schedule, problem", [
    ("", "it is empty"),
    ("0 */5 * * * *", "found 6; Argo has no seconds field"),
    ("* * * *", "found 4"),
    ("0 25 * * *", "hour field '25': 25 is above the maximum 23"),
    ("60 * * * *", "minute field '60': 60 is above the maximum 59"),
    ("0 0 0 * *", "day of month field '0': 0 is below the minimum 1"),
    ("0 0 * 13 *", "month field '13'"),
    ("0 0 * * 7", "day of week field '7': 7 is above the maximum 6"),
    ("0 0 L * *", "'L' is not a number"),
    ("0 0 * * 5#2", "'5#2' is not a number"),
    ("*/0 * * * *", "a step must be a positive number"),
    ("5-1 * * * *", "range start 5 is beyond its end 1"),
    ("1-2-3 * * * *", "too many hyphens"),
    ("@weekdays", "unknown descriptor '@weekdays'"),
    ("@every 5 minutes", "'5 minutes' is not a duration"),
    ("CRON_TZ=Mars/Olympus 0 * * * *", "'Mars/Olympus' in CRON_TZ=Mars/Olympus is not an IANA time zone"),
])
def test_schedules_robfig_cron_rejects(schedule, problem):
    assert problem in (formats.cron(schedule) or "")


@pytest.mark.parametrize("value, ok", [
    ("1h30m", True), ("90s", True), ("1.5h", True), ("300ms", True), ("0", True), ("-1m", True),
    ("30", False), ("1d", False), ("5 minutes", False), ("", False),
])
def test_go_durations(value, ok):
    assert (formats.go_duration(value) is None) == ok


@pytest.mark.parametrize("value, ok", [("20", True), ("2m", True), ("1h30m", True), ("2 m", False), ("1.5", False)])
def test_suspend_and_backoff_durations_also_take_plain_seconds(value, ok):
    assert (formats.seconds_or_duration(value) is None) == ok


@pytest.mark.parametrize("value, ok", [
    ("500m", True), ("1.5Gi", True), ("1e3", True), ("128Mi", True), (2, True), (0.5, True), ("+1k", True),
    ("1 GB", False), ("1GB", False), ("lots", False), ("1.5.2", False),
])
def test_quantities(value, ok):
    assert (formats.quantity(value) is None) == ok


@pytest.mark.parametrize("value, ok", [
    ("America/Los_Angeles", True), ("Europe/Paris", True), ("UTC", True), ("Local", True), ("", True),
    ("America/San_Fransisco", False), ("PST8PDT-ish", False),
])
def test_timezones(value, ok):
    assert (formats.timezone(value) is None) == ok


@pytest.mark.parametrize("check, value, ok", [
    ("dns-subdomain", "my-workflow.v2", True), ("dns-subdomain", "My-Workflow", False),
    ("dns-subdomain", "a" * 254, False), ("dns-subdomain", "trailing-", False), ("dns-subdomain", "", True),
    ("dns-subdomain-prefix", "hello-world-", True), ("dns-subdomain-prefix", "Hello-", False),
    ("field-name", "Main-1", True), ("field-name", "main_1", False), ("field-name", "a" * 129, False),
    ("step-name", "step-{{item}}", True), ("step-name", "step_{{item}}", False),
    ("param-name", "my_param-1", True), ("param-name", "my.param", False),
    ("resource-name", "nvidia.com/gpu", True), ("resource-name", "hugepages-2Mi", True),
    ("resource-name", "gpu", False),
])
def test_names(check, value, ok):
    assert (formats.check(check, value) is None) == ok


def test_values_with_tags_are_left_to_the_variable_rules():
    assert formats.check("go-duration", "{{inputs.parameters.timeout}}") is None
    assert formats.check("cron", "{{workflow.parameters.schedule}}") is None
    assert formats.check("field-name", "{{x}}") is None
