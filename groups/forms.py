from django import forms
from django.contrib.auth import get_user_model
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
        help_text=_("Voornaam en familienaam. Heeft de persoon al een account, dan blijft die naam."),
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
