"""A small central service on loopback for connector tests: the docs/api.md subset the
kiosk uses, with idempotency as the contract says, plus faults on demand (slow answers,
5xx with Retry-After, refusing connections) and static TUF files from a folder.

It records every request and every *effect* (a ticket or booking actually created), so
a test can tell "the server got the item twice" from "the server acted twice".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
import time
import uuid
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

TOKEN = "test-token"


class State:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.keys: dict[str, tuple[bytes, int, bytes]] = {}
        self.effects: list[dict[str, Any]] = []
        self.requests: list[tuple[str, str, str]] = []
        self.replays = 0
        self.faults: deque[tuple[int, dict[str, str]]] = deque()
        self.delay_s = 0.0
        self.slots: dict[str, dict[str, Any]] = {}
        self.seq = 0
        self.poll_interval = 120
        #: `hours` of the services answer (None: not sent, as an older server).
        self.hours: dict[str, Any] | None = None
        #: When set, a new ticket is refused 409 office_closed with this `opens_at`.
        self.closed_until: str | None = None
        self.tuf_dir: Path | None = None
        self.tuf_delay_s = 0.0
        self.cut_paths: set[str] = set()
        self.bytes_sent = 0
        # applications (docs/api.md, issue 13): the sealing keypair and what was received
        from kiosk.applications.sealing import new_keypair

        self.seal_private, self.seal_public = new_keypair()
        self.public_base_url = "http://phone.test"
        self.applications: dict[str, dict[str, Any]] = {}
        self.taken_codes: set[str] = set()


class Handler(BaseHTTPRequestHandler):
    server: FakeCentral
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None, raw: bytes | None = None,
              ctype: str = "application/json") -> None:
        data = raw if raw is not None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)
        with self.server.state.lock:
            self.server.state.bytes_sent += len(data)

    def _pre(self) -> bool:
        st = self.server.state
        with st.lock:
            st.requests.append((self.command, self.path, self.headers.get("Idempotency-Key") or ""))
            fault = st.faults.popleft() if st.faults else None
            delay = st.delay_s
        if delay:
            time.sleep(delay)
        if fault is not None:
            status, headers = fault
            self._send(status, {"error": "unavailable", "detail": "fault"}, headers)
            return False
        return True

    def do_GET(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        if self.path.startswith("/tuf/"):
            self._tuf()
            return
        if not self._pre() or not self._auth():
            return
        path = self.path.partition("?")[0]
        if path == "/api/v1/services":
            service = {"id": "legal-aid", "name": {"zh-CN": "法律援助", "en": "Legal aid"},
                       "prefix": "A", "bookable": True}
            if self.server.state.hours is not None:
                service["hours"] = self.server.state.hours
            self._send(200, [service])
        elif path == "/api/v1/slots":
            self._send(200, list(self.server.state.slots.values()))
        elif path == "/api/v1/config":
            st = self.server.state
            self._send(200, {"public_base_url": st.public_base_url, "seal_public_key": st.seal_public,
                             "seal_key_id": "k1", "server_time": dt.datetime.now().astimezone().isoformat()})
        elif path.startswith("/api/v1/applications/"):
            self._application_status(path.rsplit("/", 1)[1])
        else:
            self._send(404, {"error": "not_found"})

    def _application_status(self, code: str) -> None:
        from urllib.parse import parse_qs, urlsplit

        last4 = parse_qs(urlsplit(self.path).query).get("phone_last4", [""])[0]
        app = self.server.state.applications.get(code.replace("-", "").upper())
        if app is None or str(app["person"].get("phone", ""))[-4:] != last4:
            self._send(404, {"error": "unknown_code", "detail": "no such application"})
            return
        self._send(200, {"code": app["code"], "kind": app["kind"], "status": "received",
                         "status_text": {"zh-CN": "已收到", "en": "Received"},
                         "next_step": {"zh-CN": "等待审查", "en": "Wait for the review"},
                         "decision_due": app["decision_due"], "body": {"zh-CN": "法律援助中心"},
                         "updated_at": app["received_at"]})

    def _tuf(self) -> None:
        st = self.server.state
        with st.lock:
            st.requests.append((self.command, self.path, self.headers.get("Idempotency-Key") or ""))
        if not self._pre_tuf():
            return
        rel = self.path[len("/tuf/"):]
        if st.tuf_dir is None or ".." in rel:
            self._send(404, {"error": "not_found"})
            return
        file = st.tuf_dir / rel
        if not file.is_file():
            self._send(404, {"error": "not_found"})
            return
        data = file.read_bytes()
        etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self._send(200, None, raw=data, ctype="application/octet-stream", headers={"ETag": etag})

    def _pre_tuf(self) -> bool:
        st = self.server.state
        with st.lock:
            fault = st.faults.popleft() if st.faults else None
            delay = st.tuf_delay_s
            cut = any(part in self.path for part in st.cut_paths)
        if delay:
            time.sleep(delay)
        if cut:  # the service goes away in the middle of this download
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b"partial")
            self.close_connection = True
            return False
        if fault is not None:
            self._send(fault[0], {"error": "unavailable"}, fault[1])
            return False
        return True

    def _auth(self) -> bool:
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            self._send(401, {"error": "unauthorized", "detail": "bad token"})
            return False
        return True

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        if len(body) < length:  # the client died mid-body: a correct server acts on nothing
            self.close_connection = True
            return
        if not self._pre() or not self._auth():
            return
        key = self.headers.get("Idempotency-Key")
        if not key:
            self._send(400, {"error": "idempotency_key_required"})
            return
        st = self.server.state
        with st.lock:
            if key in st.keys:
                first_body, status, answer = st.keys[key]
                if first_body != body:
                    status, answer = 409, json.dumps({"error": "idempotency_key_reused"}).encode()
                replay = True
                st.replays += 1
            else:
                status, data = self._act(self.path, json.loads(body or b"{}"), key)
                answer = json.dumps(data).encode()
                st.keys[key] = (body, status, answer)
                replay = False
        self._send(status, None, raw=answer, headers={"Idempotent-Replay": "true"} if replay else None)

    def _act(self, path: str, data: dict[str, Any], key: str) -> tuple[int, Any]:
        st = self.server.state
        now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        if path == "/api/v1/tickets":
            if data.get("service") != "legal-aid":
                return 422, {"error": "invalid", "detail": "unknown service"}
            if st.closed_until is not None and not data.get("local_number"):
                return 409, {"error": "office_closed", "detail": "closed", "opens_at": st.closed_until}
            st.seq += 1
            number = data.get("local_number") or f"A{st.seq:03d}"
            ticket = {"id": str(uuid.uuid4()), "number": number, "service": data["service"],
                      "priority": data.get("priority", "none"), "issued_at": data.get("issued_at", now),
                      "people_ahead": 2, "wait_minutes": 10, "url": "/q/x"}
            st.effects.append({"kind": "ticket", "key": key, **ticket})
            return 201, ticket
        if path == "/api/v1/bookings":
            slot = st.slots.get(str(data.get("slot")))
            if slot is None:
                return 422, {"error": "invalid", "detail": "unknown slot"}
            if slot["booked"] >= slot["capacity"]:
                return 409, {"error": "slot_full"}
            if not str(data.get("phone", "")).isdigit():
                return 422, {"error": "bad_phone"}
            slot["booked"] += 1
            phone = str(data["phone"])
            booking = {"code": f"B{len(st.effects):04d}", "service": data["service"], "slot": slot["id"],
                       "start": slot["start"], "end": slot["end"], "phone_masked": phone[:3] + "****" + phone[-4:],
                       "office": "Demo office", "status": "booked"}
            st.effects.append({"kind": "booking", "key": key, **booking})
            return 201, booking
        if path == "/api/v1/heartbeat":
            st.effects.append({**data, "kind": "heartbeat", "key": key})
            return 200, {"poll_interval": st.poll_interval, "server_time": now}
        if path == "/api/v1/applications":
            return self._application(data, key, now)
        if path == "/api/v1/events":
            if data.get("kind") == "bogus":
                return 422, {"error": "invalid", "detail": "unknown kind"}
            st.effects.append({**data, "event": data.get("kind"), "kind": "event", "key": key})
            return 201, {"id": len(st.effects)}
        return 404, {"error": "not_found"}


    def _application(self, data: dict[str, Any], key: str, now: str) -> tuple[int, Any]:
        from kiosk.applications.sealing import SealKeyError, unseal

        st = self.server.state
        if data.get("kind") not in ("legal-aid", "mediation", "admin-reconsideration",
                                    "labour-arbitration", "callback"):
            return 422, {"error": "unknown_kind", "detail": "unknown kind"}
        try:
            person = unseal(str(data.get("sealed", "")), st.seal_private)
        except SealKeyError:
            return 422, {"error": "unsealable", "detail": "cannot open"}
        code = str(data.get("code"))
        if code in st.applications or code in st.taken_codes:
            return 409, {"error": "code_taken", "detail": "make a new code"}
        due = (dt.date.fromisoformat(str(data["created_at"])[:10]) + dt.timedelta(days=7)).isoformat()
        st.applications[code] = {"code": code, "kind": data["kind"], "person": person,
                                 "received_at": now, "decision_due": due, "body": data}
        st.effects.append({"kind": "application", "key": key, "code": code})
        return 201, {"code": code, "kind": data["kind"], "status": "received", "received_at": now,
                     "decision_due": due, "body": {"zh-CN": "示范县法律援助中心", "en": "Legal aid centre"},
                     "url": f"{st.public_base_url}/a/{code}"}


class FakeCentral(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.state = State()
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client killed mid-request (the SIGKILL test) is expected: no traceback."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self) -> FakeCentral:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def add_slot(self, slot_id: str, capacity: int = 1) -> None:
        start = dt.datetime.now().astimezone().replace(microsecond=0) + dt.timedelta(days=1)
        self.state.slots[slot_id] = {"id": slot_id, "service": "legal-aid", "start": start.isoformat(),
                                     "end": (start + dt.timedelta(minutes=30)).isoformat(),
                                     "capacity": capacity, "booked": 0}

    def effects(self, kind: str) -> list[dict[str, Any]]:
        with self.state.lock:
            return [e for e in self.state.effects if e["kind"] == kind]
