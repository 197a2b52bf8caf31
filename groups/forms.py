from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _

from groups.models import Group, Membership
from writes.stale import VersionedFormMixin


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mailadres"),
        error_messages={
            "required": _("Vul een e-mailadres in."),
            "invalid": _("Dit is geen geldig e-mailadres. Een e-mailadres ziet eruit als naam@voorbeeld.be."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    full_name = forms.CharField(
        label=_("Naam"),
        max_length=150,
        required=False,
        help_text=_("Voornaam en familienaam. Zo staat de uitnodiging in de ledenlijst."),
    )
    role = forms.ChoiceField(
        label=_("Rol"),
        choices=Membership.Role.choices,
        initial=Membership.Role.VOLUNTEER,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, group: Group, **kwargs) -> None:
        self.group = group
        super().__init__(*args, **kwargs)

    def clean_email(self) -> str:
        email = get_user_model().objects.normalize_email(self.cleaned_data["email"])
        if self.group.memberships.filter(user__email__iexact=email, is_active=True).exists():
            raise forms.ValidationError(
                _(
                    "Iemand met dit e-mailadres is al lid van %(group)s. "
                    "Je hoeft die persoon niet opnieuw uit te nodigen."
                ),
                code="already_member",
                params={"group": self.group.name},
            )
        return email


class RoleForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role"]
        widgets = {"role": forms.RadioSelect}
        labels = {"role": _("Rol in de groep")}

    def clean_role(self) -> str:
        role = self.cleaned_data["role"]
        if role != Membership.Role.COORDINATOR and self.instance.is_last_coordinator():
            raise forms.ValidationError(
                _("Dit is de enige coördinator van de groep. Maak eerst iemand anders coördinator."),
                code="last_coordinator",
            )
        return role


class NewAccountForm(forms.Form):
    """A new member's own name and password, chosen through the invitation link."""

    full_name = forms.CharField(
        label=_("Je naam"),
        max_length=150,
        error_messages={"required": _("Vul je naam in.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    new_password1 = forms.CharField(
        label=_("Kies een wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minstens 10 tekens. Een zin van een paar woorden is makkelijk te onthouden."),
        error_messages={"required": _("Kies een wachtwoord.")},
    )
    new_password2 = forms.CharField(
        label=_("Typ het wachtwoord nog eens"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Typ het wachtwoord nog eens.")},
    )

    def __init__(self, *args, email: str, **kwargs) -> None:
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self) -> dict:
        super().clean()
        cleaned = self.cleaned_data
        first, second = cleaned.get("new_password1"), cleaned.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("De twee wachtwoorden zijn niet gelijk."))
        elif first:
            user = get_user_model()(email=self.email, full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(first, user)
            except forms.ValidationError as error:
                self.add_error("new_password1", error)
        return cleaned
