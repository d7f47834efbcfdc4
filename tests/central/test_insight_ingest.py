"""POST /api/v1/events batches and /api/v1/rating-callbacks against `central serve` on
SQLite and PostgreSQL: every bad input answered per event or as 4xx JSON, nothing twice."""

from __future__ import annotations

import datetime as dt
import json
import uuid

from central.testing.servers import CentralServer
from tests.central.conftest import Api
from tests.central.insight_helpers import event


def _count(server: CentralServer, where: str = "") -> int:
    code = f"from central.insight.models import UsageEvent as E; print(E.objects.filter({where}).count())"
    return int(server.django(code).strip())


def test_a_batch_is_checked_event_by_event(api: Api) -> None:
    now = dt.datetime.now(dt.UTC)
    tag = "".join(chr(ord("a") + int(c, 16)) for c in uuid.uuid4().hex[:8])  # letters: digits are scrubbed
    batch = [event("search", {"mode": "touch", "chosen": None, "rank": None, "results": 0,
                              "query": f"{tag} 电话 13812345678"}),
             event("teleport", {}),
             event("ticket", {"service": "consultation"}, now + dt.timedelta(hours=1)),
             event("ticket", {"service": "consultation"}, now - dt.timedelta(days=91)),
             event("rating", {"level": 9, "by": "touch"}),
             {"id": "not-a-uuid", "kind": "ticket", "at": now.isoformat(), "visit": "x", "detail": {}},
             event("visit_started", {"lang": "en", "theme": "large"})]
    batch.append(dict(batch[0]))  # the same event twice in one batch
    r = api.post("/api/v1/events", {"events": batch})
    assert r.status_code == 200, r.text
    assert r.json() == {"accepted": 2, "duplicates": 1, "rejected": [
        {"index": 1, "error": "unknown_kind"}, {"index": 2, "error": "future"},
        {"index": 3, "error": "too_old"}, {"index": 4, "error": "bad_detail"},
        {"index": 5, "error": "bad_detail"}]}
    stored = api.server.django(
        "from central.insight.models import UsageEvent as E; import json; "
        f"print(json.dumps(list(E.objects.filter(detail__query__icontains='{tag}').values_list('detail', flat=True))))")
    [detail] = json.loads(stored)
    assert "138" not in detail["query"] and "#" not in detail["query"], detail  # the number is gone


def test_duplicates_across_batches_and_a_replayed_key(api: Api) -> None:
    batch = [event("print", {"what": "summary"}) for _ in range(5)]
    key = str(uuid.uuid4())
    first = api.post("/api/v1/events", {"events": batch}, key=key)
    assert first.json() == {"accepted": 5, "duplicates": 0, "rejected": []}
    again = api.post("/api/v1/events", {"events": batch}, key=key)
    assert again.headers.get("Idempotent-Replayed") == "true" and again.json() == first.json()
    overlap = [*batch[3:], event("print", {"what": "form"})]
    r = api.post("/api/v1/events", {"events": overlap})  # a new key: per-event de-duplication
    assert r.json() == {"accepted": 1, "duplicates": 2, "rejected": []}
    ids = ",".join(repr(e["id"]) for e in batch + overlap)
    assert _count(api.server, f"uuid__in=[{ids}]") == 6


def test_bad_bodies_are_4xx_json_and_the_device_event_still_works(api: Api) -> None:
    too_many = [event("print", {"what": "ticket"}) for _ in range(501)]
    r = api.post("/api/v1/events", {"events": too_many})
    assert r.status_code == 413 and r.json()["error"] == "too_many_events"
    r = api.session.post(api.base + "/api/v1/events", data=b'{"events": [{"kind": "print", "x": NaN}]}',
                         headers={"Idempotency-Key": str(uuid.uuid4()), "Content-Type": "application/json"})
    assert r.status_code == 422 and r.json()["error"] == "non_finite_number"
    for body in ({"events": "many"}, {"events": [], "extra": 1}, ["x"]):
        r = api.post("/api/v1/events", body)
        assert r.status_code == 422 and r.headers["Content-Type"].startswith("application/json"), (body, r.text)
    huge = {"events": [event("print", {"what": "ticket"}) | {"pad": "x" * 3_000_000}]}
    r = api.post("/api/v1/events", huge)
    assert r.status_code == 413 and r.json()["error"] == "too_large"
    r = api.post("/api/v1/events", {"kind": "paper_out", "at": dt.datetime.now(dt.UTC).isoformat(), "detail": {}})
    assert r.status_code == 201 and r.json()["id"]


def test_a_revoked_kiosk_is_refused(api: Api) -> None:
    token = api.server.django(
        "from central.fleet.models import Kiosk; from central.org.models import County\n"
        "k, _ = Kiosk.objects.get_or_create(code='revoked-insight', defaults={'county': County.objects.first()})\n"
        "t = k.issue_token(); k.save(); print(t)").strip()
    revoked = Api(api.server, token)
    assert revoked.post("/api/v1/events", {"events": [event("print", {"what": "ticket"})]}).status_code == 200
    api.server.django("from central.fleet.models import Kiosk\n"
                      "k = Kiosk.objects.get(code='revoked-insight'); k.revoke(); k.save()")
    r = revoked.post("/api/v1/events", {"events": [event("print", {"what": "ticket"})]})
    assert r.status_code == 401 and r.json()["error"] == "unauthorized"
    r = revoked.post("/api/v1/rating-callbacks", {})
    assert r.status_code == 401


def test_a_rating_callback_is_stored_encrypted_once(api: Api) -> None:
    rating = str(uuid.uuid4())
    body = {"rating": rating, "level": 1, "reasons": ["too_slow"], "phone": "13912345678", "consent": True,
            "at": dt.datetime.now(dt.UTC).isoformat()}
    assert api.post("/api/v1/rating-callbacks", body | {"consent": False}).json()["error"] == "no_consent"
    r = api.post("/api/v1/rating-callbacks", body | {"phone": "02512345678"})
    assert r.status_code == 422 and r.json()["error"] == "bad_phone"
    r = api.post("/api/v1/rating-callbacks", body | {"level": 4})
    assert r.status_code == 422
    first = api.post("/api/v1/rating-callbacks", body)
    assert first.status_code == 201, first.text
    second = api.post("/api/v1/rating-callbacks", body)  # a new key, the same rating: one task
    assert second.status_code == 201 and second.json() == first.json()
    out = json.loads(api.server.django(
        "from central.insight.models import FollowUp as F; import json\n"
        f"t = F.objects.get(rating='{rating}')\n"
        "print(json.dumps({'raw': bytes(t.phone).hex(), 'due': str(t.due), 'status': t.status, "
        "'n': F.objects.filter(rating=t.rating).count()}))"))
    assert out["n"] == 1 and out["status"] == "open"
    assert b"13912345678".hex() not in out["raw"]
    assert dt.date.fromisoformat(out["due"]) >= dt.date.today() + dt.timedelta(days=5)


def test_heartbeats_count_towards_uptime(api: Api) -> None:
    before = int(api.server.django("from central.insight.models import UptimeDay as U; from django.db.models import Sum\n"
                                   "print(U.objects.aggregate(n=Sum('beats'))['n'] or 0)").strip())
    for _ in range(2):
        assert api.post("/api/v1/heartbeat", {"state": "idle"}).status_code == 200
    after = int(api.server.django("from central.insight.models import UptimeDay as U; from django.db.models import Sum\n"
                                  "print(U.objects.aggregate(n=Sum('beats'))['n'] or 0)").strip())
    assert after == before + 2
