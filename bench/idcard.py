"""Benchmark: time to read a resident ID card (find + select + read base text and photo)
through the kiosk's serial code, against the fake SAM reader on a real pty sending at the
line's baud rate (10 bits a byte).

Prints the median and p95 over the reads and the line's physical limit: the bytes both ways
(3 commands of 10 bytes; answers of 15 + 19 + 1295 bytes) x 10 bits / baud. A real SAM adds
its own time for the card's radio exchange and authentication, which no pty can show.
Run: .venv/bin/python bench/idcard.py [--reads 20] [--baud 115200 ...]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.devices.idcard import SerialIdCardReader  # noqa: E402
from kiosk.devices.pty_idcard import Behaviour, PtyIdCardReader, TestCard  # noqa: E402

LINE_BYTES = 3 * 10 + 15 + 19 + 1295


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(baud: int, reads: int) -> list[float]:
    times = []
    with PtyIdCardReader(Behaviour(baud=baud)) as fake:
        reader = SerialIdCardReader(fake.port, baud=baud, reply_timeout_s=2.0)
        for _ in range(reads):
            started = time.perf_counter()
            card = reader.read(timeout_s=2.0)
            times.append(time.perf_counter() - started)
            if card.id_number != TestCard().id_number:
                raise SystemExit("the card read back wrong")
            card.wipe()
    return times


def figures(baud: int = 115200, reads: int = 20) -> dict[str, float]:
    """For bench/applications.py: median and p95 read time in ms, and the line's limit."""
    times = measure(baud, reads)
    return {"baud": baud, "reads": len(times), "median_ms": statistics.median(times) * 1000,
            "p95_ms": p95(times) * 1000, "line_limit_ms": LINE_BYTES * 10 / baud * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reads", type=int, default=20)
    parser.add_argument("--baud", type=int, nargs="+", default=[115200])
    args = parser.parse_args()
    print("ID card read (find + select + read text and photo) through a paced pty")
    print("baud     reads   median      p95    line limit")
    for baud in args.baud:
        times = measure(baud, args.reads)
        limit = LINE_BYTES * 10 / baud
        print(f"{baud:<8} {len(times):>5} {statistics.median(times) * 1000:7.1f} ms "
              f"{p95(times) * 1000:7.1f} ms {limit * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
