"""allauth's forms, narrowed: a password reset or a login code only ever goes to the account's
own login address (User.email, set by an invitation link or an admin), never to an extra
address row that nobody verified."""

from allauth.account.forms import RequestLoginCodeForm, ResetPasswordForm
from allauth.account.models import EmailAddress

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
