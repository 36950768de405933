import logging

from jobcenter.audit.redaction import redact_cpr

_formatter = logging.Formatter()


class RedactCprFilter(logging.Filter):
    """Rewrites every log record so that no CPR number reaches a log file,
    including one inside an exception's text or traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_cpr(message)
        if redacted != message:
            record.msg = redacted
            record.args = None
        if record.exc_info:
            record.exc_text = redact_cpr(_formatter.formatException(record.exc_info))
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = redact_cpr(record.exc_text)
        return True
