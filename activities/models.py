"""Group activities (praatcafé, cooking evening, outing, training, dialogue, action) and who took
part. Above households and visits in the layering: no lower app imports this module."""

import calendar
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import Group
from households.choices import LifeDomain, labels
from households.models import Household, Person
from visits.models import Signal

# "A few hundred": five years of a weekly activity. More is almost always a typo in the end date.
MAX_OCCURRENCES = 260


class ActivityKind(models.TextChoices):
    MEETING = "meeting", _("ontmoetingsmoment / praatcafé")
    COOKING = "cooking", _("kookactiviteit")
    OUTING = "outing", _("uitstap")
    TRAINING = "training", _("vorming")
    DIALOGUE = "dialogue", _("overleg met een instelling")
    ACTION = "action", _("actie")
    OTHER = "other", _("andere")


# Kinds that take up signals: they work on structures (decree criterion 5) or are a dialogue (6).
SIGNAL_KINDS = frozenset({ActivityKind.ACTION, ActivityKind.DIALOGUE})


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the 31st becomes the last day of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class ActivitySeries(models.Model):
    """A weekly or monthly activity, created once: each occurrence is an Activity of its own."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("elke week")
        MONTHLY = "monthly", _("elke maand")

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="activity_series")
    title = models.CharField(_("titel"), max_length=150)
    frequency = models.CharField(_("hoe vaak"), max_length=10, choices=Frequency.choices)
    first_date = models.DateField(_("eerste keer"))
    last_date = models.DateField(_("tot en met"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Raised by every edit of the series as a whole (writes.stale): a stale series form is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("reeks activiteiten")
        verbose_name_plural = _("reeksen activiteiten")
        ordering = ["-first_date", "pk"]
        indexes = [models.Index(fields=["group", "-first_date"], name="activityseries_group_idx")]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_frequency_display()})"

    def get_absolute_url(self) -> str:
        return reverse("activities:series_edit", kwargs={"slug": self.group.slug, "pk": self.pk})

    def occurrence_dates(self) -> list[date]:
        """Every date from first_date to last_date (inclusive), at most MAX_OCCURRENCES + 1."""
        dates: list[date] = []
        while len(dates) <= MAX_OCCURRENCES:
            if self.frequency == self.Frequency.WEEKLY:
                day = self.first_date + timedelta(weeks=len(dates))
            else:
                day = add_months(self.first_date, len(dates))
            if day > self.last_date:
                break
            dates.append(day)
        return dates

    def clean(self) -> None:
        super().clean()
        if self.first_date and self.last_date:
            if self.last_date < self.first_date:
                raise ValidationError(
                    {"last_date": _("De laatste keer kan niet voor de eerste keer liggen.")}, code="order"
                )
            if len(self.occurrence_dates()) > MAX_OCCURRENCES:
                raise ValidationError(
                    {
                        "last_date": _(
                            "Een reeks kan hoogstens %(max)s keer plaatsvinden. Kies een vroegere einddatum "
                            "en maak later een nieuwe reeks."
                        )
                        % {"max": MAX_OCCURRENCES}
                    },
                    code="too_many",
                )


class Activity(models.Model):
    """One group activity on one date, with its attendance."""

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="activities")
    series = models.ForeignKey(
        ActivitySeries,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("reeks"),
    )
    kind = models.CharField(_("soort activiteit"), max_length=10, choices=ActivityKind.choices)
    title = models.CharField(_("titel"), max_length=150)
    starts_at = models.DateTimeField(_("begint"))
    ends_at = models.DateTimeField(_("eindigt"))
    place = models.CharField(_("plaats"), max_length=200, blank=True)
    themes = ArrayField(
        models.CharField(max_length=20, choices=LifeDomain.choices),
        verbose_name=_("thema's"),
        default=list,
        blank=True,
    )
    description = models.TextField(_("korte beschrijving"), max_length=2000, blank=True)
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="ActivityOrganiser",
        related_name="organised_activities",
        verbose_name=_("wie organiseerde"),
    )
    volunteers_present = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="ActivityVolunteer",
        related_name="activities_present",
        verbose_name=_("vrijwilligers aanwezig"),
    )
    signals = models.ManyToManyField(
        Signal, through="ActivitySignal", related_name="activities", verbose_name=_("signalen")
    )
    unregistered_count = models.PositiveIntegerField(
        _("andere aanwezigen (niet geregistreerd)"), default=0, validators=[MinValueValidator(0)]
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Bumped on every edit through the app: a save based on an older version is refused.
    version = models.PositiveIntegerField(default=1)
    # Sent with the create form: a double tap or a resubmitted form finds what it already made.
    submission_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("groepsactiviteit")
        verbose_name_plural = _("groepsactiviteiten")
        ordering = ["-starts_at", "-pk"]
        indexes = [
            models.Index(fields=["group", "-starts_at"], name="activity_group_starts_idx"),
            models.Index(fields=["series", "starts_at"], name="activity_series_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.starts_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("activities:detail", kwargs={"slug": self.group.slug, "pk": self.pk})

    def get_themes_display(self) -> list[str]:
        return labels(LifeDomain, self.themes)

    @property
    def takes_up_signals(self) -> bool:
        return self.kind in SIGNAL_KINDS

    @property
    def has_begun(self) -> bool:
        """Whether the activity has started by now (until then it has no attendance to show)."""
        return self.starts_at <= timezone.now()

    @property
    def day(self) -> date:
        """The local date the activity starts on."""
        return timezone.localtime(self.starts_at).date()

    @property
    def takes_attendance(self) -> bool:
        """Whether who came can be ticked: from the activity's own day on (at the door, as
        people come in), never for a day still to come. Attendance is who came, not who said
        they would."""
        return self.day <= timezone.localdate()

    def clean(self) -> None:
        super().clean()
        both = isinstance(self.starts_at, datetime) and isinstance(self.ends_at, datetime)
        if both and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("Het einde moet na het begin liggen.")}, code="order")


class ActivityOrganiser(models.Model):
    """A member of the group who organised the activity."""

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="activity_organisers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["activity", "user"], name="activity_organiser_unique")]
        indexes = [models.Index(fields=["group", "user"], name="activityorganiser_group_idx")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.activity}"


class ActivityVolunteer(models.Model):
    """A member of the group who was there."""

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="activity_volunteers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["activity", "user"], name="activity_volunteer_unique")]
        indexes = [models.Index(fields=["group", "user"], name="activityvolunteer_group_idx")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.activity}"


class ActivitySignal(models.Model):
    """A signal that an action or a dialogue with an institution takes up."""

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="activity_signals")
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="activity_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["activity", "signal"], name="activity_signal_unique")]
        indexes = [models.Index(fields=["group", "signal"], name="activitysignal_group_idx")]

    def __str__(self) -> str:
        return f"{self.signal} → {self.activity}"


class Attendance(models.Model):
    """A person of one of the group's households at an activity. `helped_organise` (cooking,
    welcoming, leading a talk) and `spoke` (took the floor: at a dialogue, an action, the group's
    board) are the "took a role" figure of the decree. The household is stored with the
    person so that "families reached" is one COUNT(DISTINCT) and the household page one join."""

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="attendances")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="attendances")
    helped_organise = models.BooleanField(_("hielp organiseren"), default=False)
    spoke = models.BooleanField(_("nam het woord"), default=False, db_default=False)
    # The activity's local date, kept with each row (services keep it in step with the activity):
    # "last contact" per household is then one index-only scan, and figures per period need no join.
    date = models.DateField(_("datum"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("aanwezigheid")
        verbose_name_plural = _("aanwezigheden")
        constraints = [models.UniqueConstraint(fields=["activity", "person"], name="attendance_unique")]
        indexes = [
            models.Index(fields=["group", "activity"], name="attendance_group_activity_idx"),
            models.Index(fields=["household", "-date"], name="attendance_household_date_idx"),
            models.Index(fields=["group", "date"], name="attendance_group_date_idx"),
            models.Index(fields=["person"], name="attendance_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.activity}"


class BoardSeat(models.Model):
    """A person of one of the group's households in the group's board (kerngroep, bestuur), from
    `started_on` to `ended_on` (inclusive; open while empty). Counted in "took a role" (decree
    criterion 3) for every period it overlaps. The household is stored with the person, as for
    attendance, so that erasure and the family's own copy find the seats by household."""

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="board_seats")
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="board_seats", verbose_name=_("gezinslid")
    )
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="board_seats")
    started_on = models.DateField(_("sinds"))
    ended_on = models.DateField(_("tot en met"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Sent with the add form: a double tap or a resubmitted form finds the seat it already made.
    submission_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("plaats in de kerngroep")
        verbose_name_plural = _("plaatsen in de kerngroep")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="boardseat_end_after_start",
            )
        ]
        indexes = [
            models.Index(fields=["group", "started_on"], name="boardseat_group_idx"),
            models.Index(fields=["person"], name="boardseat_person_idx"),
            models.Index(fields=["household"], name="boardseat_household_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.started_on:%Y-%m-%d}–{self.ended_on or ''})"

    def is_current(self, today: date) -> bool:
        return self.started_on <= today and (self.ended_on is None or self.ended_on >= today)

    def clean(self) -> None:
        super().clean()
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("Het einde kan niet voor het begin liggen.")}, code="order")


def seats_overlapping(
    seats: "models.QuerySet[BoardSeat]", start: date, end: date
) -> "models.QuerySet[BoardSeat]":
    """The seats of `seats` held on at least one day from `start` to `end` (inclusive)."""
    return seats.filter(started_on__lte=end).filter(
        models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=start)
    )


def local_datetime(day: date, moment: time = time.min) -> datetime:
    """`day` at `moment` in the local time zone (settings.TIME_ZONE), as an aware datetime; by
    default the start of that day. Activities are planned and counted in local days."""
    return timezone.make_aware(datetime.combine(day, moment))
