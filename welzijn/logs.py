"""Logs and error reports: a request id on every line, and no family data anywhere.

- `RequestIdMiddleware` gives each request an id: the proxy's `X-Request-ID` when it is a plain
  token (nginx sends its `$request_id`, deploy/nginx-welzijn.conf), else a new random one. The
  response carries it back in `X-Request-ID`, so a user's report can be matched to the log.
- `RequestIdFilter` puts it on every log record (`%(request_id)s`; `-` outside a request).
- `PrivateFormatter` writes tracebacks without the exception's message. A message can hold
  what a user typed: PostgreSQL's DETAIL repeats the values of a refused row, and a
  ValueError repeats its input. The type, the SQLSTATE and every file, line and function stay,
  which is what it takes to find the fault.
- `PrivateExceptionReporterFilter` and `PrivateExceptionReporter` do the same for the error
  reports that Django e-mails to ADMINS: no POST or GET values, cookies, query string, local
  variables or exception message (with DEBUG on, the developer's error page still shows all).
- `StripQueryString` keeps the query string (a search for a family name) out of the
  development server's request lines.

Why: a household's name, address, summary or note is special-category data (GDPR art. 9);
logs and error mails are copied to places with weaker protection than the database.
"""

import contextvars
import logging
import re
import traceback
import uuid

from django.http import HttpRequest, HttpResponse
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_TOKEN = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
WITHHELD = "(withheld: it may hold family data)"


def current_request_id() -> str:
    """The id of the request being handled in this thread, or '-'."""
    return _request_id.get()


class RequestIdMiddleware:
    """Sets the request id for the logs and returns it in the X-Request-ID response header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _TOKEN.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (attach it to the handlers)."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Django logs a response's 4xx/5xx after the middleware is done, with the request.
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", None) or _request_id.get()
        return True


class StripQueryString(logging.Filter):
    """Cuts the query string out of runserver's request lines ("GET /path?q=… HTTP/1.1")."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args and isinstance(record.args[0], str):
            record.args = (re.sub(r"\?\S*", "?…", record.args[0]), *record.args[1:])
        return True


def describe(exc: BaseException) -> str:
    """`module.Type [SQLSTATE xxxxx] (withheld …)`: an exception without its message."""
    kind = type(exc)
    sqlstate = getattr(exc, "sqlstate", None) or getattr(exc.__cause__, "sqlstate", None)
    state = f" [SQLSTATE {sqlstate}]" if sqlstate else ""
    return f"{kind.__module__}.{kind.__qualname__}{state}: {WITHHELD}"


def format_exception(exc: BaseException) -> str:
    """A traceback like Python's, chained exceptions included, with no exception messages."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    parts = [
        "Traceback (most recent call last):\n" + "".join(traceback.format_tb(e.__traceback__)) + describe(e)
        for e in reversed(chain)
    ]
    return "\n\nThe above exception led to the following one:\n\n".join(parts)


class PrivateFormatter(logging.Formatter):
    """A Formatter whose tracebacks leave out exception messages (see the module docstring)."""

    def formatException(self, ei) -> str:
        return format_exception(ei[1]) if ei and ei[1] is not None else ""

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            RequestIdFilter().filter(record)
        # Never reuse a traceback text that another formatter cached with the message in it.
        record.exc_text = None
        text = super().format(record)
        record.exc_text = None
        return text


class PrivateExceptionReporterFilter(SafeExceptionReporterFilter):
    """Error reports without POST values, local variables, cookies or query strings."""

    def get_post_parameters(self, request):
        if request is None or not self.is_active(request):
            return super().get_post_parameters(request)
        return dict.fromkeys(request.POST, self.cleansed_substitute)

    def get_traceback_frame_variables(self, request, tb_frame):
        if not self.is_active(request):
            return super().get_traceback_frame_variables(request, tb_frame)
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]

    def get_safe_request_meta(self, request):
        meta = super().get_safe_request_meta(request)
        if self.is_active(request):
            for key in ("QUERY_STRING", "HTTP_COOKIE", "HTTP_REFERER", "REQUEST_URI", "RAW_URI"):
                if key in meta:
                    meta[key] = self.cleansed_substitute
        return meta


class PrivateExceptionReporter(ExceptionReporter):
    """Django's error report, without the exception message, GET values and cookies."""

    def get_traceback_data(self):
        data = super().get_traceback_data()
        if not self.filter.is_active(self.request):
            return data
        substitute = self.filter.cleansed_substitute
        if self.exc_value is not None:
            data["exception_value"] = describe(self.exc_value)
        data.pop("exception_notes", None)
        for frame in data.get("frames", []):
            if frame.get("exc_cause") is not None:
                frame["exc_cause"] = describe(frame["exc_cause"])
        if self.request is not None:
            data["request_GET_items"] = [(key, substitute) for key in self.request.GET]
            data["request_COOKIES_items"] = [(key, substitute) for key in self.request.COOKIES]
            data["request_insecure_uri"] = self.request.path
        return data
