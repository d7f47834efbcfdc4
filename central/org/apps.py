from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "central.org"
    label = "org"
    verbose_name = _("Counties, offices and services")

    def ready(self) -> None:
        from central.org import auth  # noqa: F401  (connects the login signals)
