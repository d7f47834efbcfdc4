"""Benchmark: the central service under load, on SQLite and on PostgreSQL, in one run.

For each database: `central serve` (gunicorn, 2 workers x 8 threads) on loopback with the
demo data, then
  * booking: 50 concurrent clients book into 40 slots of capacity 5 (1,000 attempts):
    throughput, p50/p99 latency, and double bookings seen (bookings beyond a slot's
    capacity, or a slot count that disagrees with its bookings: must be 0);
  * tickets: 50 clients take 1,000 queue tickets: throughput, p50/p99, distinct numbers;
  * heartbeat, saturated: 50 clients, 2,000 heartbeats from 500 kiosks: throughput;
  * heartbeat, paced: 170 requests/s (10,000 kiosks at one a minute) for 10 s: p50/p99.
Then three nodes (gunicorn, 2 workers x 8 threads each) on one PostgreSQL behind a real
nginx (TLS, loopback), as deploy/central/ installs them:
  * CPU per heartbeat and per ticket on one node (its processes' CPU time, and
    PostgreSQL's, divided by the requests);
  * heartbeat throughput through nginx with 1 node and with 3 nodes;
  * heartbeat p99 at 170/s paced through nginx on 3 nodes.
PostgreSQL is a private throwaway cluster (fsync on), never the machine's own.
Run: .venv/bin/python bench/central.py [--quick] [--nodes-only] [--cpu-only]
(`--cpu-only`: only the CPU per heartbeat and per ticket on one node, a minute or two.)
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import ssl
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from central.testing.cluster import Nodes, start_nodes  # noqa: E402
from central.testing.nginx import configure, nginx_missing  # noqa: E402
from central.testing.servers import CentralServer, PgCluster, pg_missing, start_central, start_pg  # noqa: E402

CLIENTS = 50
KIOSKS = 500


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class Client:
    """One persistent HTTP/1.1 connection, as a kiosk's connector keeps (HTTPS through
    nginx when `server` is an https URL; `ca` is then the certificate to trust)."""

    def __init__(self, server: CentralServer | str, token: str, ca: Path | None = None) -> None:
        url = server if isinstance(server, str) else server.url
        host, port = url.split("://")[1].split(":")
        if url.startswith("https://"):
            context = ssl.create_default_context(cafile=str(ca) if ca else None)
            self.conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                host, int(port), timeout=60, context=context)
        else:
            self.conn = http.client.HTTPConnection(host, int(port), timeout=60)
        self.auth = f"Bearer {token}"

    def post(self, path: str, body: dict[str, object]) -> tuple[int, bytes, float]:
        data = json.dumps(body).encode()
        started = time.perf_counter()
        self.conn.request("POST", path, body=data, headers={
            "Authorization": self.auth, "Idempotency-Key": str(uuid.uuid4()),
            "Content-Type": "application/json"})
        response = self.conn.getresponse()
        payload = response.read()
        return response.status, payload, time.perf_counter() - started


Job = tuple[str, dict[str, object]]


def run_clients(server: CentralServer | str, tokens: list[str], jobs: list[Job], clients: int = CLIENTS,
                ca: Path | None = None) -> tuple[list[tuple[int, bytes, float]], float]:
    """`clients` threads drain `jobs`; returns every (status, body, seconds) and the wall time."""
    work: queue.Queue[tuple[str, dict[str, object]]] = queue.Queue()
    for job in jobs:
        work.put(job)
    results: list[tuple[int, bytes, float]] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)

    def worker(i: int) -> None:
        client = Client(server, tokens[i % len(tokens)], ca)
        barrier.wait()
        mine = []
        while True:
            try:
                path, body = work.get_nowait()
            except queue.Empty:
                break
            mine.append(client.post(path, body))
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    return results, time.perf_counter() - started


def paced(server: CentralServer | str, tokens: list[str], rate: float,
          seconds: float, ca: Path | None = None) -> tuple[list[float], list[float]]:
    """An open loop: requests start on schedule (rate/s) whatever the answers' speed.
    Returns each answer's time on the wire, and the same plus how late the request left
    (the bench's own threads waiting for a CPU on a busy machine count against the server)."""
    latencies: list[float] = []
    wire: list[float] = []
    lock = threading.Lock()
    slots: queue.Queue[float | None] = queue.Queue()
    total = int(rate * seconds)

    def worker(i: int) -> None:
        client = Client(server, tokens[i % len(tokens)], ca)
        while (due := slots.get()) is not None:
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            status, _, took = client.post("/api/v1/heartbeat", {"state": "idle", "printer": {"status": "ok"}})
            late = max(0.0, time.perf_counter() - took - due)
            with lock:
                wire.append(took if status == 200 else float("inf"))
                latencies.append(took + late if status == 200 else float("inf"))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    start = time.perf_counter() + 0.5
    for n in range(total):
        slots.put(start + n / rate)
    for _ in threads:
        slots.put(None)
    for t in threads:
        t.join()
    return wire, latencies


def setup(server: CentralServer, slots: int, capacity: int) -> tuple[list[str], list[str]]:
    out = server.django(f"""
import json, datetime as dt
from django.utils import timezone
from central.booking.models import Slot, WorkingPlan
from central.booking.slots import ensure_slots
from central.fleet.models import Kiosk
home = Kiosk.objects.get(code='demo-kiosk-1')
tokens = []
for i in range({KIOSKS}):
    k, _ = Kiosk.objects.get_or_create(code=f'bench-{{i}}',
                                       defaults={{'county': home.county, 'office': home.office}})
    tokens.append(k.issue_token()); k.save()
ensure_slots(WorkingPlan.objects.all(), [timezone.localdate() + dt.timedelta(days=i) for i in range(7)])
ids = list(Slot.objects.filter(service__slug='consultation', start__gt=timezone.now() + dt.timedelta(hours=1),
                               booked=0).values_list('pk', flat=True)[:{slots}])
Slot.objects.filter(pk__in=ids).update(capacity={capacity})
print(json.dumps({{'tokens': tokens, 'slots': [str(i) for i in ids]}}))
""")
    data = json.loads(out.strip().splitlines()[-1])
    return data["tokens"], data["slots"]


def double_bookings(server: CentralServer, slot_ids: list[str]) -> int:
    out = server.django(f"""
from django.db.models import Count
from central.booking.models import Slot
bad = 0
for s in Slot.objects.filter(pk__in={[int(i) for i in slot_ids]}).annotate(n=Count('bookings')):
    bad += max(0, s.n - s.capacity) + (s.n != s.booked)
print(bad)
""")
    return int(out.strip().splitlines()[-1])


def figures(results: list[tuple[int, bytes, float]], wall: float) -> str:
    times = [r[2] * 1000 for r in results]
    return (f"{len(results) / wall:7.0f} req/s  p50 {statistics.median(times):6.1f} ms  "
            f"p99 {percentile(times, 99):6.1f} ms")


def bench(name: str, database_url: str | None, quick: bool, paced_only: bool = False) -> None:
    scale = 4 if quick else 1
    data = Path(tempfile.mkdtemp(prefix=f"central-bench-{name}-"))
    server = start_central(database_url, data, workers=2, threads=8)
    try:
        tokens, slot_ids = setup(server, 40, 5)
        if paced_only:
            return heartbeat_paced(name, server, tokens, scale)
        phones = iter(range(10**8))
        jobs: list[tuple[str, dict[str, object]]] = [
            ("/api/v1/bookings", {"slot": slot_ids[i % len(slot_ids)], "service": "consultation",
                                  "phone": f"137{next(phones):08d}"}) for i in range(1000 // scale)]
        results, wall = run_clients(server, tokens, jobs)
        statuses = {s: sum(1 for r in results if r[0] == s) for s in sorted({r[0] for r in results})}
        print(f"{name:10} booking    {figures(results, wall)}  statuses {statuses}  "
              f"double bookings {double_bookings(server, slot_ids)}")

        jobs = [("/api/v1/tickets", {"service": "legal-aid"}) for _ in range(1000 // scale)]
        results, wall = run_clients(server, tokens, jobs)
        numbers = [json.loads(r[1])["number"] for r in results if r[0] == 201]
        print(f"{name:10} tickets    {figures(results, wall)}  issued {len(numbers)}, "
              f"distinct {len(set(numbers))}")

        beat = {"state": "idle", "content_version": "2026.11.1", "app_version": "0.1.0",
                "printer": {"status": "ok", "paper": "ok"}, "disk_free_mb": 5000, "uptime_s": 100}
        results, wall = run_clients(server, tokens, [("/api/v1/heartbeat", beat)] * (2000 // scale))
        ok = sum(1 for r in results if r[0] == 200)
        print(f"{name:10} heartbeat  {figures(results, wall)}  ok {ok}/{len(results)} "
              "(saturated, 50 clients)")

        heartbeat_paced(name, server, tokens, scale)
    finally:
        server.stop()


def heartbeat_paced(name: str, server: CentralServer | str, tokens: list[str], scale: int,
                    ca: Path | None = None) -> None:
    wire, lat = paced(server, tokens, 170, 10 / scale, ca)
    wire, lat = [x * 1000 for x in wire], [x * 1000 for x in lat]
    print(f"{name:10} heartbeat  170 req/s paced for {10 / scale:.0f} s: "
          f"p50 {statistics.median(wire):6.1f} ms  p99 {percentile(wire, 99):6.1f} ms on the wire; "
          f"from schedule p50 {statistics.median(lat):6.1f} ms  p99 {percentile(lat, 99):6.1f} ms  "
          "(goal p99 <= 100 ms on PostgreSQL)")


def cpu_seconds(pids: set[int]) -> float:
    """User + system CPU time of the live processes `pids` (from /proc, in seconds)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
    return total / os.sysconf("SC_CLK_TCK")


def tree(root: int) -> set[int]:
    """`root` and all its descendants (a node: central serve, gunicorn master, workers;
    PostgreSQL: the postmaster and its backends)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError):
            continue
    found, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in found} - found
        found |= more
        grew = bool(more)
    return found


def cpu_per_request(nodes: Nodes, cluster: PgCluster, tokens: list[str], path: str,
                    body: dict[str, object], count: int) -> tuple[float, float, float]:
    """Send `count` requests straight to node 0; (node ms, PostgreSQL ms) of CPU per request."""
    node = nodes.nodes[0]
    assert node.proc is not None
    postmaster = int((cluster.root / "data" / "postmaster.pid").read_text().split()[0])
    node_pids, pg_pids = tree(node.proc.pid), tree(postmaster)
    node_before, pg_before = cpu_seconds(node_pids), cpu_seconds(pg_pids)
    results, wall = run_clients(node, tokens, [(path, body)] * count, clients=10)
    pg_pids |= tree(postmaster)  # backends opened during the run
    ok = sum(1 for r in results if r[0] in (200, 201))
    assert ok == count, f"{count - ok} of {count} {path} failed"
    return ((cpu_seconds(node_pids) - node_before) * 1000 / count,
            (cpu_seconds(pg_pids) - pg_before) * 1000 / count, count / wall)


BEAT: dict[str, object] = {"state": "idle", "content_version": "v1", "app_version": "0.1.0",
                           "printer": {"status": "ok", "paper": "ok"}, "disk_free_mb": 5000, "uptime_s": 100}


def bench_nodes(cluster: PgCluster, quick: bool, cpu_only: bool = False) -> None:
    reason = nginx_missing()
    if reason:
        print(f"several nodes skipped: {reason}")
        return
    scale = 4 if quick else 1
    nodes = start_nodes(cluster.url, 3, workers=2, threads=8, with_nginx=False)
    single = None
    try:
        tokens, _ = setup(nodes.nodes[0], 1, 1)
        run_clients(nodes.nodes[0], tokens, [("/api/v1/heartbeat", BEAT)] * 200, clients=10)  # warm up
        node_ms, pg_ms, rate = cpu_per_request(nodes, cluster, tokens, "/api/v1/heartbeat", BEAT,
                                               1000 // scale)
        print(f"nodes      heartbeat  CPU per request: node {node_ms:5.2f} ms, PostgreSQL {pg_ms:5.2f} ms "
              f"(one node, 10 clients, {rate:.0f} req/s)")
        node_ms, pg_ms, rate = cpu_per_request(nodes, cluster, tokens, "/api/v1/tickets",
                                               {"service": "legal-aid"}, 400 // scale)
        print(f"nodes      ticket     CPU per request: node {node_ms:5.2f} ms, PostgreSQL {pg_ms:5.2f} ms "
              f"(one node, 10 clients, {rate:.0f} req/s)")
        if cpu_only:
            return
        static = nodes.root / "static"
        single = configure(nodes.root / "nginx1", nodes.ports[:1], nodes.tuf_dir, static).start()
        nodes.nginx = configure(nodes.root / "nginx3", nodes.ports, nodes.tuf_dir, static).start()
        for label, proxy in (("1 node ", single), ("3 nodes", nodes.nginx)):
            jobs = [("/api/v1/heartbeat", BEAT)] * (2000 // scale)
            results, wall = run_clients(proxy.url, tokens, jobs, ca=proxy.cert)
            ok = sum(1 for r in results if r[0] == 200)
            print(f"nginx      heartbeat  {label}  {figures(results, wall)}  ok {ok}/{len(results)} "
                  f"(saturated, {CLIENTS} TLS clients)")
        heartbeat_paced("nginx 3 nodes", nodes.nginx.url, tokens, scale, nodes.nginx.cert)
    finally:
        if single is not None:
            single.stop()
        nodes.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a quarter of the requests")
    parser.add_argument("--paced-only", action="store_true", help="only the paced heartbeat figure")
    parser.add_argument("--nodes-only", action="store_true", help="only the several-nodes figures")
    parser.add_argument("--cpu-only", action="store_true", help="only CPU per heartbeat and ticket")
    args = parser.parse_args()
    args.nodes_only = args.nodes_only or args.cpu_only
    if not args.nodes_only:
        print("database   what       throughput     latency")
        bench("sqlite", None, args.quick, args.paced_only)
    reason = pg_missing()
    if reason:
        print(f"postgresql skipped: {reason}")
        return
    cluster = start_pg(durable=True)
    try:
        if not args.nodes_only:
            bench("postgresql", cluster.url, args.quick, args.paced_only)
        if not args.paced_only:
            bench_nodes(cluster, args.quick, args.cpu_only)
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
