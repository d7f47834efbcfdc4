from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditingConfig(AppConfig):
    name = "central.editing"
    label = "editing"
    verbose_name = _("flow editor")
    default_auto_field = "django.db.models.BigAutoField"
