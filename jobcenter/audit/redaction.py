"""A CPR number never appears in a log line, an audit detail or an error page."""

import re

# Ten digits, optionally with a dash after the sixth, not part of a longer number.
CPR_PATTERN = re.compile(r"(?<!\d)\d{6}-?\d{4}(?!\d)")
REDACTED = "[CPR]"


def redact_cpr(text: str) -> str:
    return CPR_PATTERN.sub(REDACTED, text)
