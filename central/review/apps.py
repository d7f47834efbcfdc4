from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "central.review"
    label = "review"
    verbose_name = _("Legal review")
