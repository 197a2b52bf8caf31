from django.apps import AppConfig


class WritesConfig(AppConfig):
    """Writes that cannot go wrong twice: resubmission receipts and the stale-save check."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "writes"
    verbose_name = "Schrijfbeveiliging"
