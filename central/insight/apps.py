from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightConfig(AppConfig):
    name = "central.insight"
    label = "insight"
    verbose_name = _("Usage and ratings")
    default_auto_field = "django.db.models.BigAutoField"
