"""A CPR number never appears in a log line, an audit detail or an error page."""

import re

# Ten digits, optionally with a dash after the sixth, not part of a longer number.
CPR_PATTERN = re.compile(r"(?<!\d)\d{6}-?\d{4}(?!\d)")
# A UUID (with dashes or as 32 hex digits) is an id, not a CPR number, even where its hex digits
# hold ten decimal digits in a row ("…-5671427661f3"): a citizen's id in an audit record stays whole.
_UUID_OR_CPR = re.compile(
    r"(?P<uuid>(?<![0-9A-Fa-f-])(?:[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"
    r"|[0-9A-Fa-f]{32})(?![0-9A-Fa-f-]))|" + CPR_PATTERN.pattern
)
REDACTED = "[CPR]"


def redact_cpr(text: str) -> str:
    return _UUID_OR_CPR.sub(lambda match: match["uuid"] or REDACTED, text)
