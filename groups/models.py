import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

INVITATION_VALID_FOR = timedelta(days=14)


class Region(models.Model):
    """A province-level area with a staff contact. Groups belong to one region."""

    name = models.CharField(_("naam"), max_length=100, unique=True)
    slug = models.SlugField(_("korte naam"), max_length=100, unique=True)
    contact_name = models.CharField(_("contactpersoon"), max_length=150, blank=True)
    contact_email = models.EmailField(_("e-mail contactpersoon"), blank=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="staff_regions",
        verbose_name=_("regionale medewerkers"),
        help_text=_(
            "Zien de cijfers van de groepen van deze regio, zonder namen. Nooit gegevens van gezinnen."
        ),
    )

    class Meta:
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Group(models.Model):
    """One local Welzijnsschakel: the tenant. Every family record belongs to exactly one group."""

    name = models.CharField(_("naam"), max_length=150)
    slug = models.SlugField(
        _("korte naam in de link"),
        max_length=100,
        unique=True,
        help_text=_("Staat in elke link van de groep, bv. brugge-sint-pieters."),
    )
    municipality = models.CharField(_("gemeente"), max_length=100)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="groups", verbose_name=_("regio")
    )
    is_active = models.BooleanField(_("actief"), default=True)
    visit_interval_weeks = models.PositiveSmallIntegerField(
        _("bezoek nodig na (weken)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text=_(
            "Een gezin zonder contact sinds zoveel weken staat op de lijst ‘heeft een bezoek nodig’."
        ),
    )
    # Privacy settings of the group (GDPR art. 5(1)(e)): empty means the national default.
    retention_months = models.PositiveSmallIntegerField(
        _("bewaartermijn na afsluiten (maanden)"),
        null=True,
        blank=True,
        help_text=_("Leeg: de nationale termijn. Een groep mag korter kiezen, niet langer."),
    )
    note_lifetime_months = models.PositiveSmallIntegerField(
        _("vertrouwelijke notities verdwijnen na (maanden)"),
        null=True,
        blank=True,
        choices=[(3, "3"), (6, "6"), (12, "12")],
        help_text=_("Leeg: een notitie blijft tot het gezin geanonimiseerd wordt."),
    )
    consent_review_months = models.PositiveSmallIntegerField(
        _("toestemming opnieuw bekijken na (maanden)"),
        default=12,
        db_default=12,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
    )
    activities_count_as_contact = models.BooleanField(
        _("groepsactiviteit telt als contact"),
        default=True,
        help_text=_(
            "Een gezin van wie iemand op een groepsactiviteit was, staat dan niet op de lijst "
            "‘heeft een bezoek nodig’."
        ),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("Welzijnsschakel")
        verbose_name_plural = _("Welzijnsschakels")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("reports:home", kwargs={"slug": self.slug})

    def clean(self) -> None:
        super().clean()
        national = settings.RETENTION_MONTHS
        if self.retention_months is not None and not (
            settings.RETENTION_MIN_MONTHS <= self.retention_months <= national
        ):
            raise ValidationError(
                {
                    "retention_months": _("Kies een bewaartermijn tussen %(low)s en %(high)s maanden.")
                    % {"low": settings.RETENTION_MIN_MONTHS, "high": national}
                }
            )

    @property
    def effective_retention_months(self) -> int:
        """Months after closing before a household is anonymised: the group's or the national one."""
        return self.retention_months or settings.RETENTION_MONTHS


class Membership(models.Model):
    """A user in a group with a role. A user may be a member of several groups."""

    class Role(models.TextChoices):
        VOLUNTEER = "volunteer", _("vrijwilliger")
        COORDINATOR = "coordinator", _("coördinator")

        @property
        def can_manage(self) -> bool:
            """Coordinators manage members, close households, see the access log and exports."""
            return self == Membership.Role.COORDINATOR

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("gebruiker"),
    )
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("groep")
    )
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices, default=Role.VOLUNTEER)
    is_active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(_("lid sinds"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)
    # Raised on every save through the app: a save based on an older version is refused (writes.stale).
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        ordering = ["group", "user__full_name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "group"], name="groups_membership_user_group_unique")
        ]
        indexes = [models.Index(fields=["group", "is_active"], name="groups_membership_active_idx")]

    def __str__(self) -> str:
        return f"{self.user} – {self.group} ({self.get_role_display()})"

    @property
    def can_manage(self) -> bool:
        return Membership.Role(self.role).can_manage

    def is_last_coordinator(self) -> bool:
        """True when this is the group's only active coordinator: removing it leaves nobody in charge."""
        if not (self.is_active and self.can_manage):
            return False
        others = Membership.objects.filter(
            group_id=self.group_id, role=Membership.Role.COORDINATOR, is_active=True
        ).exclude(pk=self.pk)
        return not others.exists()


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> "InvitationQuerySet":
        """Not accepted yet (expired ones included: the coordinator may send them again)."""
        return self.filter(accepted_at__isnull=True)

    def usable(self) -> "InvitationQuerySet":
        return self.pending().filter(expires_at__gt=timezone.now())


class Invitation(models.Model):
    """An invitation to join a group, mailed as a link to `email`.

    Nobody becomes a member until the person behind the address says yes through the link:
    with their existing account (after logging in) or by choosing a password for a new one.
    Until then the member list shows the invitation, with the name the coordinator typed.
    Only a hash of the token is stored: a copy of the database does not let anyone in.
    """

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mailadres"))
    full_name = models.CharField(_("naam"), max_length=150, blank=True)
    role = models.CharField(
        _("rol"), max_length=20, choices=Membership.Role.choices, default=Membership.Role.VOLUNTEER
    )
    membership = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("lidmaatschap"),
        help_text=_("Ingevuld wanneer de uitnodiging aanvaard is."),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["group", "email"], name="groups_invitation_email_idx")]

    def __str__(self) -> str:
        return f"{self.email} → {self.group}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    @staticmethod
    def default_expiry() -> datetime:
        return timezone.now() + INVITATION_VALID_FOR
