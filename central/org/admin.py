from __future__ import annotations

from django.contrib import admin
from reversion.admin import VersionAdmin

from central.org.admin_scope import CountyScopedAdmin
from central.org.models import County, Office, Service, StaffScope


@admin.register(County)
class CountyAdmin(CountyScopedAdmin, VersionAdmin):  # type: ignore[misc]
    county_path = "pk"
    list_display = ["slug", "name", "name_en"]


@admin.register(Office)
class OfficeAdmin(CountyScopedAdmin, VersionAdmin):  # type: ignore[misc]
    list_display = ["name", "county", "slug"]
    list_filter = ["county"]
    filter_horizontal = ["services"]


@admin.register(Service)
class ServiceAdmin(VersionAdmin):  # type: ignore[misc]
    list_display = ["prefix", "slug", "name_zh", "name_en", "bookable", "default_minutes"]


@admin.register(StaffScope)
class StaffScopeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["user", "sees_phone_numbers"]
    filter_horizontal = ["counties"]
