import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import Group
from households.choices import LifeDomain, labels
from households.models import Household

AUTHOR_EDIT_WINDOW = timedelta(days=14)


class Support(models.TextChoices):
    FOOD = "food", _("voedsel")
    TRANSPORT = "transport", _("vervoer")
    PAPERWORK = "paperwork", _("papierwerk")
    REFERRAL = "referral", _("doorverwijzing")
    LISTENING = "listening", _("luisterend oor")
    OTHER = "other", _("andere")


class Visit(models.Model):
    """One logged contact with a household: a home visit, a call, a meeting."""

    show_confidential: bool  # not a column: set per reader by the household's timeline
    volunteer_names: list[str]  # not a column: set for a page of a list (with_volunteer_names)

    class Kind(models.TextChoices):
        HOME = "home", _("huisbezoek")
        PHONE = "phone", _("telefoon")
        GROUP_PLACE = "group_place", _("in ons lokaal")
        ELSEWHERE = "elsewhere", _("ergens anders")

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="visits")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="visits")
    date = models.DateField(_("datum"), default=timezone.localdate)
    kind = models.CharField(_("soort contact"), max_length=12, choices=Kind.choices, default=Kind.HOME)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duur in minuten"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
    )
    volunteers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="VisitVolunteer",
        related_name="visits",
        verbose_name=_("wie was erbij"),
    )
    topics = ArrayField(
        models.CharField(max_length=20, choices=LifeDomain.choices),
        verbose_name=_("onderwerpen"),
        default=list,
        blank=True,
    )
    support = ArrayField(
        models.CharField(max_length=12, choices=Support.choices),
        verbose_name=_("praktische hulp"),
        default=list,
        blank=True,
    )
    support_note = models.CharField(_("welke hulp precies?"), max_length=300, blank=True)
    summary = models.TextField(_("kort verslag"), max_length=2000, blank=True)
    # Readable only by its author and the group's coordinators: never in lists, exports or search.
    confidential_note = models.TextField(_("vertrouwelijke notitie"), max_length=2000, blank=True)
    # The worker empties the note on this day (the author chose a lifetime); empty: kept.
    confidential_note_expires_on = models.DateField(_("notitie verdwijnt op"), null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Sent with the form: a double tap or a resubmitted form finds the visit it already made.
    submission_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Raised on every save through the app: a save based on an older version is refused (writes.stale).
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacten")
        ordering = ["-date", "-created_at", "-pk"]
        indexes = [
            models.Index(fields=["group", "-date"], name="visit_group_date_idx"),
            models.Index(fields=["household", "-date", "-created_at"], name="visit_household_date_idx"),
            GinIndex(fields=["topics"], name="visit_topics_gin"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"

    def get_topics_display(self) -> list[str]:
        return labels(LifeDomain, self.topics)

    def get_support_display(self) -> list[str]:
        return labels(Support, self.support)

    def author_may_still_change(self) -> bool:
        return timezone.now() - self.created_at <= AUTHOR_EDIT_WINDOW

    def may_be_changed_by(self, membership) -> bool:
        """Coordinators always; the author for 14 days after logging it; nobody else."""
        if membership.can_manage:
            return True
        return self.author_id == membership.user_id and self.author_may_still_change()

    def confidential_note_visible_to(self, membership) -> bool:
        return membership.can_manage or self.author_id == membership.user_id


class VisitVolunteer(models.Model):
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="+")
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="visit_volunteers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["visit", "user"], name="visit_volunteer_unique")]
        indexes = [models.Index(fields=["group", "user"], name="visitvolunteer_group_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.visit}"


class FollowUp(models.Model):
    """Something to do after a contact: what, by when, who."""

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="follow_ups")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="follow_ups")
    # A deleted visit leaves its follow-ups and signals with the household: they still hold.
    visit = models.ForeignKey(
        Visit, on_delete=models.SET_NULL, related_name="follow_ups", null=True, blank=True
    )
    description = models.CharField(_("wat moet er gebeuren?"), max_length=300)
    due_date = models.DateField(_("tegen wanneer?"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="follow_ups",
        verbose_name=_("wie doet het?"),
    )
    done_at = models.DateTimeField(_("gedaan op"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("actiepunt")
        verbose_name_plural = _("actiepunten")
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["group", "assignee", "done_at", "due_date"], name="followup_assignee_idx"),
            models.Index(fields=["group", "done_at", "due_date"], name="followup_group_open_idx"),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_overdue(self) -> bool:
        return not self.is_done and self.due_date < timezone.localdate()


class Signal(models.Model):
    """An injustice or barrier noticed with a family, addressed to an institution."""

    class Institution(models.TextChoices):
        OCMW = "ocmw", _("OCMW")
        HOUSING = "housing", _("sociale huisvestingsmaatschappij")
        SCHOOL = "school", _("school")
        HEALTH = "health", _("huisarts / gezondheidszorg")
        UTILITY = "utility", _("energie- of waterleverancier")
        OTHER = "other", _("andere")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        RAISED = "raised", _("aangekaart")
        RESOLVED = "resolved", _("opgelost")

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="signals")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="signals")
    visit = models.ForeignKey(Visit, on_delete=models.SET_NULL, related_name="signals", null=True, blank=True)
    institution = models.CharField(_("bij wie?"), max_length=10, choices=Institution.choices)
    theme = models.CharField(_("thema"), max_length=20, choices=LifeDomain.choices)
    description = models.TextField(_("wat liep er mis?"), max_length=2000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    noticed_on = models.DateField(_("vastgesteld op"), default=timezone.localdate)
    raised_on = models.DateField(_("aangekaart op"), null=True, blank=True)
    resolved_on = models.DateField(_("opgelost op"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Raised on every save through the app: a save based on an older version is refused (writes.stale).
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    class Meta:
        verbose_name = _("signaal")
        verbose_name_plural = _("signalen")
        ordering = ["-noticed_on", "-pk"]
        indexes = [models.Index(fields=["group", "status", "-noticed_on"], name="signal_group_status_idx")]

    def __str__(self) -> str:
        return f"{self.get_institution_display()}: {self.get_theme_display()}"
