"""systemd's notify protocol on a real Unix datagram socket: what the kiosk sends, and that a
hung main loop stops the pings (the pings come from the loop, never from a thread)."""

from __future__ import annotations

import asyncio
import itertools
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.services.watchdog import SystemdNotifier


class NotifySocket:
    """The receiving end systemd holds: a bound datagram socket, messages with arrival times."""

    def __init__(self, address: str) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(address)
        self.sock.settimeout(0.05)

    def drain(self, seconds: float) -> list[tuple[float, str]]:
        got: list[tuple[float, str]] = []
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                data = self.sock.recv(4096)
            except TimeoutError:
                continue
            got.append((time.monotonic(), data.decode()))
        return got


@pytest.fixture
def notify(tmp_path: Path) -> Iterator[tuple[NotifySocket, str]]:
    path = str(tmp_path / "notify")
    receiver = NotifySocket(path)
    yield receiver, path
    receiver.sock.close()


def test_ready_watchdog_and_stopping_arrive_as_datagrams(notify: tuple[NotifySocket, str]) -> None:
    receiver, path = notify
    notifier = SystemdNotifier({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "3000000"})
    assert notifier.ping_interval_s() == pytest.approx(1.0)
    assert notifier.ready() and notifier.ping() and notifier.stopping()
    messages = [m for _t, m in receiver.drain(0.3)]
    assert messages == ["READY=1\nSTATUS=attract screen shown", "WATCHDOG=1", "STOPPING=1"]


def test_abstract_socket_name(tmp_path: Path) -> None:
    name = f"legal-kiosk-test-{os.getpid()}"
    receiver = NotifySocket("\0" + name)
    try:
        assert SystemdNotifier({"NOTIFY_SOCKET": "@" + name}).ping()
        assert [m for _t, m in receiver.drain(0.2)] == ["WATCHDOG=1"]
    finally:
        receiver.sock.close()


def test_without_systemd_everything_is_a_quiet_no_op(tmp_path: Path) -> None:
    off = SystemdNotifier({})
    assert not off.enabled and off.ping_interval_s() is None and not off.ready() and not off.ping()
    # Notify socket but no watchdog asked: READY yes, no pings scheduled.
    assert SystemdNotifier({"NOTIFY_SOCKET": str(tmp_path / "x")}).ping_interval_s() is None
    # The watchdog is meant for another process (WATCHDOG_PID): this one must not ping.
    other = SystemdNotifier({"NOTIFY_SOCKET": "/x", "WATCHDOG_USEC": "30000000",
                             "WATCHDOG_PID": str(os.getpid() + 1)})
    assert other.ping_interval_s() is None
    assert SystemdNotifier({"NOTIFY_SOCKET": "/x", "WATCHDOG_USEC": "bad"}).ping_interval_s() is None


def test_a_vanished_socket_is_reported_not_raised(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    gone = SystemdNotifier({"NOTIFY_SOCKET": str(tmp_path / "gone"), "WATCHDOG_USEC": "1000000"})
    assert gone.ping() is False and gone.ping() is False
    assert sum("notify socket unusable" in r.message for r in caplog.records) == 1


def test_pings_stop_when_the_main_loop_hangs(notify: tuple[NotifySocket, str]) -> None:
    """GIVEN a real event loop pinging from its own clock as the app does, and a worker thread
    busy beside it, WHEN a callback on the loop blocks, THEN the pings stop for as long as it
    blocks (the thread keeps running but never pings), and resume after."""
    receiver, path = notify
    notifier = SystemdNotifier({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "300000"})  # ping each 0.1 s
    every = notifier.ping_interval_s()
    assert every is not None
    worker_ran = threading.Event()
    stop = threading.Event()

    def worker() -> None:  # the connector's threads: alive, but they must not keep the kiosk "alive"
        while not stop.is_set():
            worker_ran.set()
            time.sleep(0.01)

    async def main() -> None:
        loop = asyncio.get_running_loop()

        def tick() -> None:
            notifier.ping()
            loop.call_later(every, tick)

        notifier.ready()
        tick()
        await asyncio.sleep(1.0)            # running: pings
        loop.call_soon(time.sleep, 1.5)     # the UI thread hangs in a callback
        await asyncio.sleep(0.05)
        await asyncio.sleep(0.6)            # back: pings again

    thread = threading.Thread(target=worker, daemon=True)
    thread.start()
    received: list[tuple[float, str]] = []
    drainer = threading.Thread(target=lambda: received.extend(receiver.drain(3.6)))
    drainer.start()
    start = time.monotonic()
    asyncio.run(main())
    drainer.join()
    stop.set()
    assert worker_ran.is_set()
    pings = [t - start for t, m in received if m == "WATCHDOG=1"]
    assert received[0][1].startswith("READY=1")
    running = [t for t in pings if t < 1.0]
    assert len(running) >= 5, pings  # 10 due; a loaded machine delays some
    gaps = [b - a for a, b in itertools.pairwise(pings)]
    assert max(gaps) >= 1.4, f"no silence while the loop hung: {gaps}"
    assert max(gaps[: len(running) - 1]) < 0.7, gaps  # steady while it ran (well under the 1.5 s hang)
    assert any(t > 2.6 for t in pings), "pings did not resume after the hang"
