from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """A family's data over its life: retention, erasure, the family's copy, expiring notes.

    Sits above households and visits (it writes to both in one transaction), beside reports.
    """

    name = "privacy"
    verbose_name = _("Privacy")
