from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """A family's data over its life: retention, erasure, the family's copy, expiring notes.

    Sits above households and visits (it writes to both in one transaction), beside reports.
    """

    name = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        from households import log_fields
        from privacy.anonymisation import name_erase_reasons

        log_fields.register_reference(log_fields.ERASE_REASON, name_erase_reasons)
