"""Small helpers shared by the central service's HTTP tests."""

from __future__ import annotations

import itertools
import random

from tests.central.conftest import Api

_taken: set[tuple[str, str]] = set()
_phones = itertools.count(random.randrange(10**6, 9 * 10**6))


def phone() -> str:
    """A fresh valid mobile number (the per-phone daily limit must not interfere)."""
    return f"139{next(_phones):08d}"


def fresh_slot(api: Api, service: str = "consultation") -> dict[str, object]:
    """A future slot with nothing booked that no other test has used on this server."""
    for slot in api.get(f"/api/v1/slots?service={service}").json():
        key = (api.base, slot["id"])
        if slot["booked"] == 0 and key not in _taken:
            _taken.add(key)
            return dict(slot)
    raise AssertionError("no free slot left")


def set_slot(api: Api, slot_id: object, **fields: object) -> None:
    """Change a slot in the server's database (capacity, or a start time near now)."""
    assignments = ", ".join(f"{k}={v}" for k, v in fields.items())
    api.server.django(
        "import datetime as dt; from django.utils import timezone; "
        "from central.booking.models import Slot; "
        f"Slot.objects.filter(pk={int(str(slot_id))}).update({assignments})")


def other_kiosk(api: Api, code: str, prefix: str) -> Api:
    """Another kiosk of the demo county (same office), with its own token and offline prefix."""
    out = api.server.django(
        "from central.fleet.models import Kiosk; "
        "k = Kiosk.objects.order_by('pk').first(); "
        f"o, _ = Kiosk.objects.get_or_create(code={code!r}, defaults={{'county': k.county, "
        f"'office': k.office}}); o.ticket_prefix = {prefix!r}; t = o.issue_token(); o.save(); print(t)")
    return Api(api.server, token=out.strip().splitlines()[-1])
