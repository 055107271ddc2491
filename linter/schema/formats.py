"""Value checks named by the schema's `format` keyword: what Argo and Kubernetes accept.

Each check takes a value the schema already typed and returns None when it is acceptable,
else the rest of a sentence that starts with the value ("'5 minutes' is not a duration:
..."). Values holding a `{{...}}` tag are not checked (Argo substitutes them first) unless
a check says otherwise.

Cron schedules follow robfig/cron v3's `ParseStandard`, the parser Argo uses, rather than
croniter: croniter accepts syntax Argo rejects (`L`, `W`, `#`, seconds, 7 for Sunday) and
rejects syntax Argo accepts (`@every 1h`, a `CRON_TZ=` prefix), and it costs ~80 ms to import.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, Optional

TAG = re.compile(r"\{\{.*?\}\}", re.S)

_DNS_LABEL = r"[a-z0-9](?:[-a-z0-9]*[a-z0-9])?"
DNS_LABEL = re.compile(_DNS_LABEL)
DNS_SUBDOMAIN = re.compile(rf"{_DNS_LABEL}(?:\.{_DNS_LABEL})*")
FIELD_NAME = re.compile(r"[a-zA-Z0-9][-a-zA-Z0-9]*")
PARAM_NAME = re.compile(r"[-a-zA-Z0-9_]+")
QUANTITY = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?[0-9]+)?")
GO_DURATION = re.compile(r"[-+]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:ns|us|µs|μs|ms|s|m|h))+|[-+]?0")

FIELD_NAME_RULE = "alphanumeric characters or '-', starting with an alphanumeric character (e.g. My-name1-2)"
PARAM_NAME_RULE = "alphanumeric characters, '_' or '-' (e.g. my_param_1, MY-PARAM-1)"
DNS_SUBDOMAIN_RULE = "lowercase alphanumeric characters, '-' or '.', starting and ending with an alphanumeric character"
DNS_LABEL_RULE = "lowercase alphanumeric characters or '-', starting and ending with an alphanumeric character"


def has_tag(value) -> bool:
    return isinstance(value, str) and "{{" in value


def dns_subdomain(value: str) -> Optional[str]:
    if not value:
        return None  # unset: `generateName` may stand in (kind_checks.py reports neither)
    if len(value) > 253:
        return f"is {len(value)} characters long; the limit is 253"
    if not DNS_SUBDOMAIN.fullmatch(value):
        return f"is not a valid Kubernetes name: use {DNS_SUBDOMAIN_RULE}"
    return None


def dns_subdomain_prefix(value: str) -> Optional[str]:
    """`generateName`: Kubernetes appends 5 random characters, so a trailing '-' is fine."""
    if not value:
        return None
    masked = value[:-1] + "a" if value.endswith("-") else value
    if not DNS_SUBDOMAIN.fullmatch(masked):
        return f"is not a valid name prefix: use {DNS_SUBDOMAIN_RULE} (a trailing '-' is allowed)"
    return None


def dns_label(value: str) -> Optional[str]:
    if len(value) > 63:
        return f"is {len(value)} characters long; the limit is 63"
    if not DNS_LABEL.fullmatch(value):
        return f"is not a valid Kubernetes name: use {DNS_LABEL_RULE}"
    return None


def field_name(value: str) -> Optional[str]:
    """Templates, steps, DAG tasks and containerSet containers (Argo's field-name rule)."""
    if len(value) <= 128 and FIELD_NAME.fullmatch(value):
        return None
    if not value:
        return "is empty"
    problems = []
    if not FIELD_NAME.fullmatch(value):
        problems.append(f"use {FIELD_NAME_RULE}")
    if len(value) > 128:
        problems.append(f"it is {len(value)} characters long; the limit is 128")
    return "is invalid: " + "; ".join(problems) if problems else None


def step_name(value: str) -> Optional[str]:
    """Argo checks step names after substituting tags with a placeholder."""
    return field_name(TAG.sub("x", value))


def param_name(value: str) -> Optional[str]:
    if PARAM_NAME.fullmatch(value):
        return None
    return f"is invalid: use {PARAM_NAME_RULE}" if value else "is empty"


STANDARD_RESOURCES = ("cpu", "memory", "ephemeral-storage")


def resource_name(value: str) -> Optional[str]:
    """A key of a container's `resources.limits`/`requests` (Kubernetes resource names)."""
    if value in STANDARD_RESOURCES or value.startswith("hugepages-") or "/" in value:
        return None
    return ("is not a resource Kubernetes knows: use cpu, memory, ephemeral-storage, hugepages-<size>, "
            "or an extended resource with its domain (e.g. nvidia.com/gpu)")


def quantity(value) -> Optional[str]:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return None
    if isinstance(value, str) and QUANTITY.fullmatch(value.strip()):
        return None
    return ("is not a Kubernetes quantity: use a number with an optional suffix "
            "(m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei), e.g. 500m, 1.5, 128Mi")


def go_duration(value: str) -> Optional[str]:
    """`timeout`, `maxAge`: Go's time.ParseDuration; Argo rejects a bare number here."""
    if GO_DURATION.fullmatch(value):
        return None
    if re.fullmatch(r"[0-9]+", value):
        return f"has no unit: Argo rejects a bare number here; write a duration such as {value}s"
    return "is not a duration: use a number with a unit (ns, us, ms, s, m, h), e.g. 90s, 1h30m"


def seconds_or_duration(value: str) -> Optional[str]:
    """`suspend.duration`, `retryStrategy.backoff.*`: integer seconds or a Go duration."""
    if re.fullmatch(r"[0-9]+", value) or GO_DURATION.fullmatch(value):
        return None
    return ("is not a duration: use a whole number of seconds (\"30\") or a number "
            "with a unit (ns, us, ms, s, m, h), e.g. 2m, 1h30m")


def timezone(value: str) -> Optional[str]:
    if value in ("", "UTC", "Local"):
        return None
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(value)
        return None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        pass
    if not _zone_database_available():
        return None  # no time zone data on this machine: nothing to check against
    return "is not an IANA time zone (e.g. America/Los_Angeles, Europe/Paris, UTC)"


@lru_cache(maxsize=1)
def _zone_database_available() -> bool:
    import zoneinfo

    try:
        zoneinfo.ZoneInfo("America/New_York")
        return True
    except Exception:
        return False


# robfig/cron v3 ParseStandard: minute, hour, day of month, month, day of week.
_CRON_FIELDS = (
    ("minute", 0, 59, {}),
    ("hour", 0, 23, {}),
    ("day of month", 1, 31, {}),
    ("month", 1, 12, {m: i for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}),
    ("day of week", 0, 6, {d: i for i, d in enumerate(("sun", "mon", "tue", "wed", "thu", "fri", "sat"))}),
)
_CRON_DESCRIPTORS = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")
CRON_FORMAT_HINT = "five fields: minute hour day-of-month month day-of-week, e.g. '0 2 * * 1-5', or @daily, @every 1h"


def cron(value: str) -> Optional[str]:
    problem = _cron_problem(value)
    return f"is not a valid cron schedule: {problem}" if problem else None


def _cron_problem(spec: str) -> Optional[str]:
    spec = spec.strip()
    if not spec:
        return "it is empty"
    if spec.startswith(("TZ=", "CRON_TZ=")):
        zone, _, spec = spec.partition(" ")
        location = zone.split("=", 1)[1]
        if timezone(location):
            return f"'{location}' in {zone} is not an IANA time zone"
        spec = spec.strip()
    if spec.startswith("@"):
        if spec in _CRON_DESCRIPTORS:
            return None
        if spec.startswith("@every "):
            duration = spec[len("@every "):].strip()
            return None if GO_DURATION.fullmatch(duration) else f"'{duration}' is not a duration (e.g. 1h30m)"
        return f"unknown descriptor '{spec.split()[0]}' (known: {', '.join(_CRON_DESCRIPTORS)}, @every <duration>)"
    fields = spec.split()
    if len(fields) != 5:
        extra = "; Argo has no seconds field" if len(fields) == 6 else ""
        return f"expected exactly 5 fields (minute hour day-of-month month day-of-week), found {len(fields)}{extra}"
    for text, (name, low, high, names) in zip(fields, _CRON_FIELDS):
        for part in text.split(","):
            problem = _cron_range(part, low, high, names)
            if problem:
                return f"{name} field '{text}': {problem}"
    return None


def _cron_range(expr: str, low: int, high: int, names: dict) -> Optional[str]:
    range_and_step = expr.split("/")
    if len(range_and_step) > 2:
        return "too many slashes"
    bounds = range_and_step[0].split("-")
    if len(bounds) > 2:
        return "too many hyphens"
    if bounds[0] in ("*", "?"):
        if len(bounds) > 1:
            return f"'{range_and_step[0]}' mixes a wildcard with a range"
        start, end = low, high
    else:
        values = []
        for b in bounds:
            v = names.get(b.lower()) if not b.isdigit() else int(b)
            if v is None:
                return f"'{b}' is not a number" + (f" or a name ({', '.join(names)})" if names else "")
            values.append(v)
        start = values[0]
        end = values[-1] if len(values) == 2 else (high if len(range_and_step) == 2 else start)
    if len(range_and_step) == 2:
        step = range_and_step[1]
        if not step.isdigit():
            return f"step '{step}' is not a number"
        if int(step) == 0:
            return "a step must be a positive number"
    if start < low:
        return f"{start} is below the minimum {low}"
    if end > high:
        return f"{end} is above the maximum {high}"
    if start > end:
        return f"range start {start} is beyond its end {end}"
    return None


CHECKS: dict[str, Callable] = {
    "quantity": quantity,
    "dns-subdomain": dns_subdomain,
    "dns-subdomain-prefix": dns_subdomain_prefix,
    "dns-label": dns_label,
    "field-name": field_name,
    "step-name": step_name,
    "param-name": param_name,
    "resource-name": resource_name,
    "go-duration": go_duration,
    "seconds-or-duration": seconds_or_duration,
    "timezone": timezone,
    "cron": cron,
}

# For the checks that names are put through by the thousand in a large DAG: a pattern, and
# a length limit or None, such that a string matching the pattern within the limit passes
# the check (so the check need not be called).
PASSES: dict[Callable, tuple] = {field_name: (FIELD_NAME, 128), param_name: (PARAM_NAME, None)}

# Valid values to suggest from ("did you mean ...?") when a check fails.
SUGGESTIONS = {"resource-name": STANDARD_RESOURCES}

# Checks that see values with `{{...}}` tags (they handle tags themselves).
SEES_TAGS = frozenset({"step-name"})


def check(name: str, value) -> Optional[str]:
    """The problem with `value` under format `name`, or None (also for unknown formats)."""
    fn = CHECKS.get(name)
    if fn is None:
        return None
    if has_tag(value) and name not in SEES_TAGS:
        return None
    if not isinstance(value, str) and name != "quantity":
        return None
    return fn(value)
