from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Dashboards, the yearly report, exports and the regional/national figures.

    On top of every other app: it reads groups, households and visits, and nothing reads it."""

    name = "reports"
    verbose_name = _("Rapportering")
