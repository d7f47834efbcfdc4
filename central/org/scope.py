"""Per-county permission: which counties a user may act on."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from central.org.models import County


def counties_of(user: Any) -> QuerySet[County] | None:
    """None means every county (superuser); otherwise the user's counties (maybe none)."""
    if user.is_superuser:
        return None
    scope = getattr(user, "scope", None)
    if scope is None:
        return County.objects.none()
    counties: QuerySet[County] = scope.counties.all()
    return counties


def limit(qs: QuerySet[Any], user: Any, path: str) -> QuerySet[Any]:
    """Filter `qs` to rows whose `path` (e.g. "office__county") is one of the user's counties."""
    counties = counties_of(user)
    if counties is None:
        return qs
    return qs.filter(Q(**{f"{path}__in": counties}))


def sees_phones(user: Any) -> bool:
    if user.is_superuser:
        return True
    scope = getattr(user, "scope", None)
    return bool(scope and scope.sees_phone_numbers)


def mask_phone(phone: str) -> str:
    """138****5678: the first three and last four digits."""
    if len(phone) < 8:
        return "*" * len(phone)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"
