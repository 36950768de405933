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


def _all_handlers() -> list[logging.Handler]:
    loggers: list[logging.Logger] = [logging.getLogger()]
    loggers += [item for item in logging.Logger.manager.loggerDict.values() if isinstance(item, logging.Logger)]
    handlers: dict[int, logging.Handler] = {}
    for logger in loggers:
        for handler in logger.handlers:
            handlers[id(handler)] = handler
    return list(handlers.values())


def redact_every_handler() -> None:
    """Put the CPR filter on every handler there is, not only those LOGGING names.

    A filter on a logger does not see the records its children propagate, so the
    filter belongs on the handlers. Django's own `django.server` handler (runserver's
    access log) and a WSGI server's access log (gunicorn configures its loggers before
    it loads the application) would otherwise write a requested URL verbatim.
    Called when the audit app is ready, after Django has configured LOGGING.
    """
    for handler in _all_handlers():
        if not any(isinstance(existing, RedactCprFilter) for existing in handler.filters):
            handler.addFilter(RedactCprFilter())
