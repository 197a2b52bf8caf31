"""allauth's forms, narrowed: a password reset or a login code only ever goes to the account's
own login address (User.email, set by an invitation link or an admin), never to an extra
address row that nobody verified. And its password forms, with the password rules put together
once per form."""

from allauth.account.forms import ChangePasswordForm, RequestLoginCodeForm, ResetPasswordForm, SetPasswordForm
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.webauthn.forms import AddWebAuthnForm, AuthenticateWebAuthnForm, EditWebAuthnForm
from django.utils.translation import gettext_lazy as _

from accounts.models import User


def _owns(user: User, email: str) -> bool:
    email = email.strip().lower()
    if user.email.lower() == email:
        return True
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


class VerifiedResetPasswordForm(ResetPasswordForm):
    def clean_email(self) -> str:
        email = super().clean_email()
        self.users: list[User] = [user for user in self.users if _owns(user, email)]
        return email


class VerifiedRequestLoginCodeForm(RequestLoginCodeForm):
    def clean_email(self) -> str:
        email = super().clean_email()
        self._user: User | None
        if email and self._user is not None and not _owns(self._user, email):
            self._user = None
        return email


class _RulesOnce:
    """The help text of the new password (the rules of AUTH_PASSWORD_VALIDATORS) is lazy: Django
    builds it again, translating each rule, on each of the four times a form's render reads it.
    Built once when the form is made, in the language of its request."""

    fields: dict

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["password1"]
        field.help_text = str(field.help_text)


class WelzijnChangePasswordForm(_RulesOnce, ChangePasswordForm):
    pass


class WelzijnSetPasswordForm(_RulesOnce, SetPasswordForm):
    pass


class WelzijnAuthenticateWebAuthnForm(AuthenticateWebAuthnForm):
    """allauth's security-key step at login, which knows whether the user has a key at all:
    templates/mfa/authenticate.html offers "use a security key" only to who has one."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user_has_key = Authenticator.objects.filter(
            user_id=self.user.pk, type=Authenticator.Type.WEBAUTHN
        ).exists()


# allauth's "name" fields have no label of their own: Django made "Name" of it, in English on a Dutch page.
KEY_NAME_LABEL = _("Naam van de sleutel")
KEY_NAME_HELP = _("Een naam waaraan je de sleutel herkent, bijvoorbeeld ‘blauwe sleutel’.")


class WelzijnAddWebAuthnForm(AddWebAuthnForm):
    """allauth's form to add a security key, its name field labelled in words."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].label = KEY_NAME_LABEL
        self.fields["name"].help_text = KEY_NAME_HELP


class WelzijnEditWebAuthnForm(EditWebAuthnForm):
    """allauth's form to rename a security key, its name field labelled in words."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].label = KEY_NAME_LABEL
