from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from django.utils.functional import SimpleLazyObject

from writes.resubmission import pop_saved


def draft_owner(user) -> str:
    """Who a draft in the browser belongs to: a keyed hash of the user id, the same in every
    session of that user, telling nothing about the user to whoever reads the browser."""
    return salted_hmac("welzijn.writes.draft-owner", str(user.pk), algorithm="sha256").hexdigest()[:24]


def drafts(request: HttpRequest) -> dict:
    """`draft_owner` for the drafts that forms.js keeps, and `saved_forms`: the paths of the
    forms the server saved since the last page (read once, when a page shows them)."""
    user = getattr(request, "user", None)
    return {
        "draft_owner": draft_owner(user) if user is not None and user.is_authenticated else "",
        "saved_forms": SimpleLazyObject(lambda: pop_saved(request)),
    }
