from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _make_keys(sender: Any, **kwargs: Any) -> None:
    import logging

    from central.casework.keys import KeyMissing, ensure_keys

    try:
        ensure_keys()
    except KeyMissing as exc:  # a read-only node: its operator copies the keys before serving
        logging.getLogger(__name__).warning("%s", exc)


class CaseworkConfig(AppConfig):
    name = "central.casework"
    label = "casework"
    verbose_name = _("Applications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(_make_keys, sender=self)
