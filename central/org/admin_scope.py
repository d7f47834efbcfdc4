"""Admin mixin for per-county permission: staff see and pick only their counties' rows."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import ForeignKey, QuerySet
from django.http import HttpRequest

from central.org.models import County, Office
from central.org.scope import counties_of, limit


class CountyScopedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    #: Lookup from this model to its County, e.g. "county" or "office__county".
    county_path = "county"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return limit(super().get_queryset(request), request.user, self.county_path)

    def formfield_for_foreignkey(self, db_field: ForeignKey[Any, Any], request: HttpRequest,
                                 **kwargs: Any) -> Any:
        counties = counties_of(request.user)
        if counties is not None:
            if db_field.related_model is County:
                kwargs["queryset"] = counties
            elif db_field.related_model is Office:
                kwargs["queryset"] = Office.objects.filter(county__in=counties)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _in_scope(self, request: HttpRequest, obj: Any) -> bool:
        if obj is None:
            return True
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and self._in_scope(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and self._in_scope(request, obj)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) and self._in_scope(request, obj)
