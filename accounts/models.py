import secrets

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.postgres.functions import RandomUUID
from django.db import models
from django.db.models.functions import Cast, Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email__iexact=username)

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        # Addresses are compared case-insensitively everywhere; store them lower-case.
        return (email or "").strip().lower()


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in: a volunteer, a coordinator or staff. E-mail is the login."""

    email = models.EmailField(_("e-mailadres"), unique=True)
    full_name = models.CharField(_("volledige naam"), max_length=150, blank=True)
    is_active = models.BooleanField(_("actief"), default=True)
    is_staff = models.BooleanField(
        _("medewerker"),
        default=False,
        help_text=_("Mag inloggen in het beheer (Django admin)."),
    )
    date_joined = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    # Part of every session's auth hash: a new value logs the user out on every device.
    # db_default too, for rows inserted by raw SQL (seed_scale).
    session_token = models.CharField(
        max_length=64,
        default=secrets.token_hex,
        db_default=Cast(RandomUUID(), output_field=models.CharField(max_length=64)),
        editable=False,
    )

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ["full_name", "email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = UserManager.normalize_email(self.email)

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # Django's hash covers the password; ours adds session_token (see log_out_everywhere).
        key_salt = "accounts.User.get_session_auth_hash"
        return salted_hmac(
            key_salt, f"{self.password}|{self.session_token}", secret=secret, algorithm="sha256"
        ).hexdigest()

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return (self.full_name.split(" ")[0] if self.full_name else "") or self.email


class AccountEvent(models.Model):
    """Append-only log of security events on an account: MFA reset, logged out everywhere,
    login address changed. Holds no family data; who did it and to whom."""

    class Kind(models.TextChoices):
        MFA_RESET = "mfa_reset", _("tweestapsverificatie gewist")
        LOGGED_OUT_EVERYWHERE = "logged_out_everywhere", _("afgemeld op alle toestellen")
        EMAIL_CHANGED = "email_changed", _("e-mailadres gewijzigd")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="account_events",
        verbose_name=_("gebruiker"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("door"),
    )
    kind = models.CharField(_("soort"), max_length=40, choices=Kind.choices)
    # Where the actor acted from: a group's slug for a coordinator, "admin" or "self".
    context = models.CharField(_("via"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("wanneer"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("accountgebeurtenis")
        verbose_name_plural = _("accountgebeurtenissen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.user_id}"
