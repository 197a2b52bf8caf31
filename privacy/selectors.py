"""Read-side queries of the lifecycle used by the dashboard."""

from datetime import date

from django.db.models import OuterRef, Q, QuerySet, Subquery

from groups.models import Group
from households.models import Consent, Household, add_months


def consent_to_review(group: Group, today: date) -> QuerySet[Household]:
    """Open households of `group` whose latest consent is older than the group's review period
    (`Group.consent_review_months`), missing, or withdrawn; oldest first. Annotated with
    `consent_date` and `consent_status` (None when there is none). Two subqueries, one query."""
    latest = Consent.objects.filter(household=OuterRef("pk")).order_by("-date", "-created_at", "-pk")
    cutoff = add_months(today, -group.consent_review_months)
    return (
        group.households.exclude(status=Household.Status.CLOSED)
        .filter(anonymised_at__isnull=True)
        .annotate(
            consent_date=Subquery(latest.values("date")[:1]),
            consent_status=Subquery(latest.values("status")[:1]),
        )
        .filter(
            Q(consent_date__isnull=True)
            | Q(consent_date__lt=cutoff)
            | Q(consent_status=Consent.Status.WITHDRAWN)
        )
        .order_by("consent_date", "display_name", "pk")
    )
