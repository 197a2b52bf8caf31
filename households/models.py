import calendar

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Func, Value
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import Group
from households import log_fields
from households.choices import Language, LifeDomain, ReferralSource, labels

postcode_validator = RegexValidator(
    r"^[1-9][0-9]{3}$", _("Een Belgische postcode heeft 4 cijfers, bv. 8000."), code="postcode"
)
phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ./()-]{7,19}$",
    _(
        "Dit is geen geldig telefoonnummer. Gebruik cijfers, eventueel met spaties, "
        "bv. 0470 12 34 56 of +32 470 12 34 56."
    ),
    code="phone",
)


def add_months(day, months: int):
    """`day` plus whole calendar months, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last))


def normalized(expression) -> Func:
    """lower + unaccent, the way search keys are stored (welzijn_unaccent is IMMUTABLE)."""
    return Func(Lower(expression), function="welzijn_unaccent", output_field=models.TextField())


def digits_only(expression) -> Func:
    """Only the digits: '0470 12 34 56' -> '0470123456' (regexp_replace is IMMUTABLE)."""
    return Func(
        expression,
        Value(r"\D"),
        Value(""),
        Value("g"),
        function="regexp_replace",
        output_field=models.TextField(),
    )


def compact(expression) -> Func:
    """normalized, without spaces, hyphens, apostrophes and dots: 'Van de Walle' -> 'vandewalle'.

    Only separators are removed, so that names in other scripts (Arabic, Cyrillic …) keep
    their letters and stay searchable.
    """
    return Func(
        normalized(expression),
        Value(r"[-\s'’.,/()]"),
        Value(""),
        Value("g"),
        function="regexp_replace",
        output_field=models.TextField(),
    )


class Household(models.Model):
    """A family (or a person living alone) that one group supports."""

    regular: int  # not a column: set by the attendance list (how often they came to the series)

    class Status(models.TextChoices):
        ACTIVE = "active", _("actief")
        PAUSED = "paused", _("gepauzeerd")
        CLOSED = "closed", _("afgesloten")

    class CloseReason(models.TextChoices):
        NO_LONGER_NEEDED = "no_longer_needed", _("geen ondersteuning meer nodig")
        MOVED = "moved", _("verhuisd")
        OTHER_SERVICE = "other_service", _("opgevolgd door een andere dienst")
        NO_CONTACT = "no_contact", _("geen contact meer")
        FAMILY_STOPPED = "family_stopped", _("het gezin wil stoppen")
        DECEASED = "deceased", _("overleden")
        OTHER = "other", _("andere reden")

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="households")
    display_name = models.CharField(
        _("naam van het gezin"),
        max_length=150,
        help_text=_("Zoals jullie het gezin noemen, bv. Familie Peeters."),
    )
    street = models.CharField(_("straat"), max_length=150, blank=True)
    house_number = models.CharField(_("huisnummer"), max_length=10, blank=True)
    box = models.CharField(_("bus"), max_length=10, blank=True)
    postcode = models.CharField(_("postcode"), max_length=4, blank=True, validators=[postcode_validator])
    municipality = models.CharField(_("gemeente"), max_length=100, blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True, validators=[phone_validator])
    email = models.EmailField(_("e-mailadres"), blank=True)
    languages = ArrayField(
        models.CharField(max_length=8, choices=Language.choices),
        verbose_name=_("talen"),
        default=list,
        blank=True,
    )
    needs = ArrayField(
        models.CharField(max_length=20, choices=LifeDomain.choices),
        verbose_name=_("noden"),
        default=list,
        blank=True,
    )
    referral_source = models.CharField(
        _("hoe kwam het gezin bij ons?"), max_length=20, choices=ReferralSource.choices, blank=True
    )
    contact_volunteers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="HouseholdContact",
        related_name="contact_households",
        verbose_name=_("contactpersonen"),
        blank=True,
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    closed_on = models.DateField(_("afgesloten op"), null=True, blank=True)
    close_reason = models.CharField(_("reden"), max_length=20, choices=CloseReason.choices, blank=True)
    close_note = models.CharField(_("toelichting"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Retention (GDPR art. 5(1)(e)): a closed household is anonymised after the group's period,
    # or on the postponed date a coordinator set once, with a reason.
    retention_postponed_until = models.DateField(_("anonimiseren uitgesteld tot"), null=True, blank=True)
    retention_postpone_reason = models.CharField(
        _("reden van uitstel"), max_length=300, blank=True, default="", db_default=""
    )
    anonymised_at = models.DateTimeField(_("geanonimiseerd op"), null=True, blank=True)
    # Bumped on every save through the app: a save based on an older version is refused.
    version = models.PositiveIntegerField(default=1)
    search_name = models.GeneratedField(
        expression=normalized(F("display_name")), output_field=models.TextField(), db_persist=True
    )
    search_compact = models.GeneratedField(
        expression=compact(F("display_name")), output_field=models.TextField(), db_persist=True
    )
    # What people remember besides the name (issue #12): the street and the phone number.
    search_street = models.GeneratedField(
        expression=normalized(F("street")), output_field=models.TextField(), db_persist=True
    )
    search_phone = models.GeneratedField(
        expression=digits_only(F("phone")), output_field=models.TextField(), db_persist=True
    )

    class Meta:
        verbose_name = _("gezin")
        verbose_name_plural = _("gezinnen")
        ordering = ["display_name", "pk"]
        indexes = [
            models.Index(fields=["group", "status"], name="household_group_status_idx"),
            models.Index(fields=["group", "postcode", "house_number"], name="household_group_address_idx"),
            GinIndex(OpClass(F("search_name"), name="gin_trgm_ops"), name="household_search_name_trgm"),
            GinIndex(OpClass(F("search_compact"), name="gin_trgm_ops"), name="household_search_compact_trgm"),
            GinIndex(fields=["needs"], name="household_needs_gin"),
            GinIndex(OpClass(F("search_street"), name="gin_trgm_ops"), name="household_search_street_trgm"),
            GinIndex(OpClass(F("search_phone"), name="gin_trgm_ops"), name="household_search_phone_trgm"),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("households:detail", kwargs={"slug": self.group.slug, "pk": self.pk})

    @property
    def address_lines(self) -> list[str]:
        first = " ".join(part for part in [self.street, self.house_number] if part)
        if self.box:
            first = f"{first} {_('bus')} {self.box}"
        second = " ".join(part for part in [self.postcode, self.municipality] if part)
        return [line for line in (first, second) if line]

    def get_needs_display(self) -> list[str]:
        return labels(LifeDomain, self.needs)

    def get_languages_display(self) -> list[str]:
        return labels(Language, self.languages)

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None

    @property
    def anonymise_on(self):
        """The date the retention job anonymises this closed household, or None (not closed,
        or already anonymised). Needs `group` loaded."""
        if not self.is_closed or self.closed_on is None or self.is_anonymised:
            return None
        if self.retention_postponed_until is not None:
            return self.retention_postponed_until
        return add_months(self.closed_on, self.group.effective_retention_months)


class HouseholdContact(models.Model):
    """A volunteer of the group who is a contact person for the household."""

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="contacts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["household", "user"], name="household_contact_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.household}"


def current_year() -> int:
    return timezone.localdate().year


class Person(models.Model):
    """A member of a household. Birth year only: we keep no more than we need."""

    class Role(models.TextChoices):
        ADULT = "adult", _("volwassene")
        CHILD = "child", _("kind")
        OTHER = "other", _("andere")

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="persons")
    first_name = models.CharField(_("voornaam"), max_length=100)
    last_name = models.CharField(_("familienaam"), max_length=100, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("geboortejaar"), null=True, blank=True, validators=[MinValueValidator(1900)]
    )
    role = models.CharField(_("rol in het gezin"), max_length=10, choices=Role.choices, default=Role.ADULT)
    note = models.CharField(_("opmerking"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Raised on every save through the app: a save based on an older version is refused (writes.stale).
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)
    # A family is also found by a member's first name (issue #12), forgiving accents.
    search_first_name = models.GeneratedField(
        expression=normalized(F("first_name")), output_field=models.TextField(), db_persist=True
    )

    class Meta:
        verbose_name = _("gezinslid")
        verbose_name_plural = _("gezinsleden")
        ordering = ["household", "birth_year", "first_name", "pk"]
        indexes = [
            models.Index(fields=["group", "household"], name="person_group_household_idx"),
            GinIndex(
                OpClass(F("search_first_name"), name="gin_trgm_ops"), name="person_search_first_name_trgm"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def clean(self) -> None:
        super().clean()
        if self.birth_year is not None:
            MaxValueValidator(current_year(), _("Het geboortejaar kan niet in de toekomst liggen."))(
                self.birth_year
            )


class Consent(models.Model):
    """Consent of the family to keep their data: given or withdrawn, by whom, how, for what."""

    class Status(models.TextChoices):
        GIVEN = "given", _("gegeven")
        WITHDRAWN = "withdrawn", _("ingetrokken")

    class Method(models.TextChoices):
        ORAL = "oral", _("mondeling")
        WRITTEN = "written", _("schriftelijk")

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="consents")
    status = models.CharField(_("toestemming"), max_length=10, choices=Status.choices, default=Status.GIVEN)
    date = models.DateField(_("datum"), default=timezone.localdate)
    method = models.CharField(_("hoe"), max_length=10, choices=Method.choices, default=Method.ORAL)
    purpose = models.CharField(
        _("waarvoor"),
        max_length=300,
        # Stored as data, in Dutch: a lazy translation would save the recorder's language.
        default="Gegevens bijhouden om het gezin te ondersteunen en op te volgen.",
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")
        ordering = ["-date", "-created_at", "-pk"]
        indexes = [models.Index(fields=["household", "-date", "-created_at"], name="consent_latest_idx")]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.date}"


class AccessLogEntry(models.Model):
    """One read or change of a household's data. Append-only: the database refuses UPDATE and
    DELETE on this table (see the migration), and the admin offers neither."""

    class Action(models.TextChoices):
        VIEW = "view", _("bekeken")
        CREATE = "create", _("aangemaakt")
        CHANGE = "change", _("gewijzigd")
        CLOSE = "close", _("afgesloten")
        REOPEN = "reopen", _("heropend")
        PERSON_ADD = "person_add", _("gezinslid toegevoegd")
        PERSON_CHANGE = "person_change", _("gezinslid gewijzigd")
        PERSON_DELETE = "person_delete", _("gezinslid verwijderd")
        CONSENT = "consent", _("toestemming geregistreerd")
        PRINT = "print", _("afgedrukt")
        VISIT_VIEW = "visit_view", _("contact bekeken")
        VISIT_ADD = "visit_add", _("contact geregistreerd")
        VISIT_CHANGE = "visit_change", _("contact gewijzigd")
        VISIT_DELETE = "visit_delete", _("contact verwijderd")
        FOLLOW_UP = "follow_up", _("actiepunt toegevoegd of gewijzigd")
        SIGNAL = "signal", _("signaal toegevoegd of gewijzigd")
        SIGNAL_VIEW = "signal_view", _("signaal bekeken")
        REPORT_VIEW = "report_view", _("rapport bekeken")
        EXPORT = "export", _("cijfers gedownload")
        ADMIN_VIEW = "admin_view", _("bekeken in het beheer")
        ANONYMISE = "anonymise", _("geanonimiseerd na de bewaartermijn")
        ERASE = "erase", _("gewist op vraag (vergeetrecht)")
        POSTPONE = "postpone", _("anonimiseren uitgesteld")
        SUBJECT_ACCESS = "subject_access", _("inzage voor het gezin gemaakt")
        NOTE_EXPIRED = "note_expired", _("vertrouwelijke notitie verlopen")

    at = models.DateTimeField(_("wanneer"), default=timezone.now, db_index=True)
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="+")
    # Empty for group-wide actions (a yearly report, an export of the group's figures).
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # Empty for what the system did on its own (the retention job): who is then the job.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    action = models.CharField(_("wat"), max_length=20, choices=Action.choices)
    fields = ArrayField(models.CharField(max_length=50), verbose_name=_("velden"), default=list, blank=True)
    person_id = models.BigIntegerField(null=True, blank=True)
    visit_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("registratie in de toegangslog")
        verbose_name_plural = _("toegangslog")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["group", "-at"], name="accesslog_group_at_idx"),
            models.Index(fields=["household", "-at"], name="accesslog_household_at_idx"),
            models.Index(fields=["group", "user", "-at"], name="accesslog_group_user_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.get_action_display()} {self.household_id}"

    # The fields in words, set on a page of rows by households.log_fields.describe().
    field_words: list[str]

    def field_labels(self) -> list[str]:
        """The fields in words ('telefoon', not 'phone'), with the records they refer to named
        when `households.log_fields.describe` ran over the page of rows."""
        if hasattr(self, "field_words"):
            return self.field_words
        return log_fields.words_for(self.fields, self.action)
