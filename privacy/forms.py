from django import forms
from django.utils.translation import gettext_lazy as _

from privacy.anonymisation import POSTPONE_MONTHS, EraseReason


class EraseForm(forms.Form):
    confirm_name = forms.CharField(
        label=_("Typ de naam van het gezin om te bevestigen"),
        max_length=150,
        help_text=_("Zo wis je niet per ongeluk het verkeerde gezin."),
    )
    reason = forms.ChoiceField(label=_("Waarom?"), choices=EraseReason.CHOICES, widget=forms.RadioSelect)


class PostponeForm(forms.Form):
    months = forms.TypedChoiceField(
        label=_("Hoeveel later?"),
        choices=[(m, _("%(n)s maanden") % {"n": m}) for m in POSTPONE_MONTHS],
        coerce=int,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Waarom moeten we de gegevens langer bewaren?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bv. een lopende schuldbemiddeling. Noem geen namen."),
    )
