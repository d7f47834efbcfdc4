"""Template filters of the insight pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """mapping[key], or the key itself when the mapping has no such entry (a status word)."""
    try:
        return mapping.get(key, key)
    except AttributeError:
        return key
