from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Groepsactiviteiten")

    def ready(self) -> None:
        from activities.log_names import name_activities, name_seats
        from households import log_fields

        log_fields.register_reference(log_fields.ACTIVITY, name_activities)
        log_fields.register_reference(log_fields.SEAT, name_seats)
