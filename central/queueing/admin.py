from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from central.org.admin_scope import CountyScopedAdmin
from central.queueing.models import Counter, Ticket


@admin.register(Counter)
class CounterAdmin(CountyScopedAdmin):
    county_path = "office__county"
    list_display = ["office", "number", "page"]
    filter_horizontal = ["services"]

    @admin.display(description=_("counter page"))
    def page(self, counter: Counter) -> str:
        return format_html('<a href="/staff/counter/{}/">{}</a> · <a href="/board/{}/">{}</a>',
                           counter.pk, _("serve"), counter.office_id, _("display board"))


@admin.register(Ticket)
class TicketAdmin(CountyScopedAdmin):
    county_path = "office__county"
    list_display = ["number", "service", "office", "priority", "status", "issued_at", "counter"]
    list_filter = ["status", "priority", "service", "day"]
    readonly_fields = ["public_id", "office", "service", "day", "number", "priority", "rank", "issued_at",
                       "status", "counter", "called_at", "finished_at", "calls", "kiosk", "provisional",
                       "announced_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
