"""Sending the same thing twice saves it once: one mechanism for every POST that writes.

`ResubmissionMiddleware` runs every POST of a logged-in user (outside the exempt prefixes) in
one transaction together with its `SubmissionReceipt`. The receipt names the user, the path, a
hash of **what the form says** (`content_digest`: the body without the CSRF token, the
per-render submission id, the version and the hidden initial values, so that a form reloaded by
Back and sent again hashes the same), and the page the POST led to. A POST that repeats a
receipt within `RESUBMISSION_WINDOW` is not run again: it is answered with the first one's
redirect and the message *Dit was al opgeslagen.*

A repeat stops being a repeat once anything newer was saved in the same **scope** (the record
the path is about, `/g/<slug>/households/17/`; for paths without a record, the group; else the
path): "done", "undo", "done" again ticks the follow-up off twice, as meant, and so does
closing a household, reopening it and closing it again.

Only POSTs answered with a redirect (Post/Redirect/Get after a successful write) keep their
receipt. A form sent back with errors, a conflict page or an error keeps none. Two identical
POSTs at the same moment are serialised on the receipt's unique index: the second waits for
the first to commit, then is answered as a repeat.

A view that must run every time (none today) is marked with `@resubmission_exempt`.
"""

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from typing import cast

from django.contrib import messages
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _

from writes.models import SubmissionReceipt

RESUBMISSION_WINDOW = timedelta(minutes=15)
# Fields that change with every render of the same form, not with what the user means.
BOOKKEEPING_FIELDS = frozenset({"csrfmiddlewaretoken", "submission_id", "version", "based_on"})
# allauth's flows (a repeated password is a new reauthentication), the language switch (no
# database write) and the Django admin are not ours to answer from a receipt.
EXEMPT_PREFIXES = ("/accounts/", "/i18n/", "/admin/")
# The session key of the forms saved since the last page: `forms.js` forgets their drafts.
SAVED_KEY = "welzijn_saved_forms"


def resubmission_exempt(view: Callable) -> Callable:
    """Mark a view that must run on every POST, even an identical one."""
    view.resubmission_exempt = True  # type: ignore[attr-defined]
    return view


def content_digest(request: HttpRequest) -> str:
    """SHA-256 (hex) of the POST's fields, without the bookkeeping fields, order-independent."""
    # Read the raw body first: Django then keeps it, so a view that reads `request.body` itself
    # (the CSP report endpoint) still can after `request.POST` was parsed here.
    _ = request.body
    items = sorted(
        (name, sorted(values)) for name, values in request.POST.lists() if not _is_bookkeeping(name)
    )
    return hashlib.sha256(json.dumps(items, ensure_ascii=False).encode()).hexdigest()


def _is_bookkeeping(name: str) -> bool:
    # Prefixed forms and formsets name fields "p12-version", "followup-0-description".
    return name.startswith("initial-") or name.rsplit("-", 1)[-1] in BOOKKEEPING_FIELDS


def scope_of(path: str) -> str:
    """`/g/brugge/households/17/persons/3/delete/` -> `/g/brugge/households/17/`;
    `/g/brugge/members/invite/` -> `/g/brugge/`; anything else: the path itself."""
    parts = path.strip("/").split("/")
    if len(parts) < 2 or parts[0] != "g":
        return path
    for index, part in enumerate(parts[2:], start=2):
        if part.isdigit():
            return "/" + "/".join(parts[: index + 1]) + "/"
    return f"/g/{parts[1]}/"


def mark_saved(request: HttpRequest, path: str) -> None:
    """Tell the next page that the form posted to `path` is on the server (see forms.js)."""
    if hasattr(request, "session"):
        saved = [p for p in request.session.get(SAVED_KEY, []) if p != path][-4:]
        request.session[SAVED_KEY] = [*saved, path]


def pop_saved(request: HttpRequest) -> list[str]:
    if not hasattr(request, "session") or SAVED_KEY not in request.session:
        return []
    return request.session.pop(SAVED_KEY)


def _claim(user_id: int, path: str, digest: str, now) -> tuple[int, SubmissionReceipt | None]:
    """Insert this POST's receipt, or lock the one that is there. Returns (receipt id, the
    earlier receipt if this POST repeats it)."""
    for _attempt in range(3):
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {SubmissionReceipt._meta.db_table} "  # noqa: S608 - table name from the model
                "(user_id, path, scope, digest, location, created_at) VALUES (%s, %s, %s, %s, '', %s) "
                "ON CONFLICT (user_id, path, digest) DO NOTHING RETURNING id",
                [user_id, path, scope_of(path), digest, now],
            )
            row = cursor.fetchone()
        if row is not None:
            return row[0], None
        # A twin is (or was) on its way: wait for it to commit, then look at what it left.
        earlier = (
            SubmissionReceipt.objects.select_for_update()
            .filter(user_id=user_id, path=path, digest=digest)
            .first()
        )
        if earlier is not None:
            break
        # Deleted (pruned, or its POST failed) between our INSERT and SELECT: insert again.
    else:
        raise RuntimeError("could not claim a submission receipt")
    fresh = earlier.location and earlier.created_at >= now - RESUBMISSION_WINDOW
    newer = (
        SubmissionReceipt.objects.filter(scope=earlier.scope, created_at__gt=earlier.created_at)
        .exclude(pk=earlier.pk)
        .exists()
    )
    if fresh and not newer:
        return earlier.pk, earlier
    earlier.location, earlier.created_at = "", now
    earlier.save(update_fields=["location", "created_at"])
    return earlier.pk, None


# Plain statements, as in `_claim`: the ORM took longer to build them than PostgreSQL to run them,
# on every POST. Nothing refers to a receipt, so deleting one deletes nothing else.
_TABLE = SubmissionReceipt._meta.db_table


def _keep(receipt_id: int, location: str) -> None:
    """The POST succeeded: its receipt keeps the page it led to."""
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {_TABLE} SET location = %s WHERE id = %s", [location, receipt_id])  # noqa: S608 - table name from the model


def _drop(receipt_id: int) -> None:
    """The POST was answered without a redirect (errors, a conflict): no receipt."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_TABLE} WHERE id = %s", [receipt_id])  # noqa: S608 - table name from the model


def _applies(request: HttpRequest) -> bool:
    return (
        request.method == "POST"
        and request.user.is_authenticated
        and not request.path.startswith(EXEMPT_PREFIXES)
    )


class ResubmissionMiddleware:
    """Place after AuthenticationMiddleware and CsrfViewMiddleware. `__call__` opens the
    transaction around everything that follows, the view included; `process_view`, which
    Django calls only once the CSRF check passed, claims the receipt or answers the repeat."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _applies(request):
            return self.get_response(request)
        with transaction.atomic():
            response = self.get_response(request)
            receipt_id = getattr(request, "_submission_receipt", None)
            if receipt_id is not None:
                if response.status_code in (301, 302, 303) and response.has_header("Location"):
                    _keep(receipt_id, response["Location"])
                    mark_saved(request, request.path)
                else:
                    _drop(receipt_id)
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        if not _applies(request) or getattr(view_func, "resubmission_exempt", False):
            return None
        receipt_id, earlier = _claim(
            cast(int, request.user.pk), request.path, content_digest(request), timezone.now()
        )
        if earlier is None:
            request._submission_receipt = receipt_id  # type: ignore[attr-defined]
            return None
        messages.info(request, _("Dit was al opgeslagen."))
        mark_saved(request, request.path)
        return HttpResponseRedirect(earlier.location)


def prune_receipts(*, older_than: timedelta = RESUBMISSION_WINDOW) -> int:
    """Delete receipts that can no longer answer a repeat. Returns how many."""
    deleted, _ = SubmissionReceipt.objects.filter(created_at__lt=timezone.now() - older_than).delete()
    return deleted
