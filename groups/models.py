import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
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
    def usable(self) -> "InvitationQuerySet":
        return self.filter(accepted_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """A link e-mailed to a new member so they can set a password.

    Only a hash of the token is stored: a copy of the database does not let anyone log in.
    """

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("lidmaatschap")
    )
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="invitations")
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

    def __str__(self) -> str:
        return f"{self.membership.user} → {self.group}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    @staticmethod
    def default_expiry():
        return timezone.now() + INVITATION_VALID_FOR
