from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin

from central.booking.models import Booking, Holiday, Slot, WorkingPlan
from central.org.admin_scope import CountyScopedAdmin
from central.org.scope import mask_phone, sees_phones


@admin.register(WorkingPlan)
class WorkingPlanAdmin(CountyScopedAdmin, VersionAdmin):  # type: ignore[misc]
    county_path = "office__county"
    list_display = ["office", "service", "weekdays", "opens", "closes", "break_start", "break_end",
                    "slot_minutes", "capacity", "valid_from", "valid_until"]
    list_filter = ["office__county", "service"]


@admin.register(Holiday)
class HolidayAdmin(CountyScopedAdmin, VersionAdmin):  # type: ignore[misc]
    list_display = ["date", "kind", "name", "county"]
    list_filter = ["county", "kind"]


@admin.register(Slot)
class SlotAdmin(CountyScopedAdmin):
    county_path = "office__county"
    list_display = ["start", "end", "office", "service", "booked", "capacity"]
    list_filter = ["office", "service"]
    readonly_fields = ["plan", "office", "service", "start", "end", "booked"]
    date_hierarchy = "start"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


def _phone_column(request: HttpRequest) -> Any:
    """A per-request column: full numbers only for staff who must call residents back."""
    full = sees_phones(request.user)

    @admin.display(description=_("phone"))
    def phone(booking: Booking) -> str:
        return booking.phone if full else mask_phone(booking.phone)

    return phone


@admin.register(Booking)
class BookingAdmin(CountyScopedAdmin):
    county_path = "office__county"
    list_filter = ["status", "service", "office"]
    search_fields = ["code"]

    def get_list_display(self, request: HttpRequest) -> Any:
        return ["code", "service", "office", "slot", _phone_column(request), "status", "created_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["code", "slot", "service", "office", _phone_column(request), "created_at", "kiosk"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [*self.get_readonly_fields(request, obj), "status"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
