"""Queue tickets: numbers from a locked counter row, priority order, wait estimates, counters."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from central.errors import ApiError
from central.fleet.models import Kiosk
from central.org.models import Office, Service
from central.queueing.models import PRIORITY_RANK, Counter, Ticket, TicketSequence

AVERAGE_OVER = 20  # served tickets in the rolling average


def _next_number(office: Office, service: Service, day: dt.date) -> str:
    """Take the next number: the counter row is locked until the ticket's transaction ends
    (SELECT ... FOR UPDATE on PostgreSQL; SQLite's BEGIN IMMEDIATE holds the write lock)."""
    locked = TicketSequence.objects.select_for_update()
    seq = locked.filter(office=office, service=service, day=day).first()
    if seq is None:  # the day's first ticket: make the row (a racing twin is ignored), then lock it
        TicketSequence.objects.bulk_create([TicketSequence(office=office, service=service, day=day)],
                                           ignore_conflicts=True)
        seq = locked.get(office=office, service=service, day=day)
    taken = Ticket.objects.filter(office=office, service=service, day=day)
    seq.last += 1
    while taken.filter(number=f"{service.prefix}{seq.last:03d}").exists():
        seq.last += 1  # skip a number stored some other way (older offline tickets)
    seq.save(update_fields=["last"])
    return f"{service.prefix}{seq.last:03d}"


def issue_ticket(office: Office, service: Service, priority: str, kiosk: Kiosk | None,
                 local_number: str | None = None, issued_at: dt.datetime | None = None) -> Ticket:
    now = timezone.now()
    issued = issued_at if local_number and issued_at else now
    day = timezone.localtime(issued).date()
    with transaction.atomic():
        if local_number:
            existing = Ticket.objects.filter(office=office, service=service, day=day,
                                             number=local_number, kiosk=kiosk).first()
            if existing is not None:
                return existing
        # The estimate first: the number's counter row stays locked until the transaction
        # ends, so everything done after taking it makes every other kiosk wait.
        rank = PRIORITY_RANK[priority]
        ahead = Ticket.objects.filter(
            office=office, service=service, day=day, status=Ticket.WAITING
        ).filter(Q(rank__lt=rank) | Q(rank=rank, issued_at__lte=issued)).count()
        estimate = (ahead, round(ahead * average_minutes(office.pk, service)))
        number = local_number or _next_number(office, service, day)
        try:
            with transaction.atomic():
                ticket = Ticket.objects.create(
                    public_id=secrets.token_urlsafe(9), office=office, service=service, day=day,
                    number=number, priority=priority, rank=rank, issued_at=issued,
                    kiosk=kiosk, provisional=bool(local_number))
        except IntegrityError as exc:
            raise ApiError(409, "duplicate_number", "this ticket number exists already today") from exc
        ticket.estimate = estimate  # type: ignore[attr-defined]
        return ticket


def people_ahead(ticket: Ticket) -> int:
    if ticket.status != Ticket.WAITING:
        return 0
    return Ticket.objects.filter(
        office_id=ticket.office_id, service_id=ticket.service_id, day=ticket.day, status=Ticket.WAITING
    ).filter(
        Q(rank__lt=ticket.rank) | Q(rank=ticket.rank, issued_at__lt=ticket.issued_at)
        | Q(rank=ticket.rank, issued_at=ticket.issued_at, pk__lt=ticket.pk)
    ).count()


def average_minutes(office_id: int, service: Service) -> float:
    """Rolling average service time of the last served residents, or the service's default."""
    rows = list(Ticket.objects.filter(office_id=office_id, service=service, status=Ticket.SERVED,
                                      called_at__isnull=False, finished_at__isnull=False)
                .order_by("-finished_at").values_list("called_at", "finished_at")[:AVERAGE_OVER])
    spans = [(f - c).total_seconds() for c, f in rows if c is not None and f is not None]
    if len(spans) < 3:
        return float(service.default_minutes)
    return sum(spans) / len(spans) / 60


def wait_minutes(ticket: Ticket, ahead: int) -> int:
    return round(ahead * average_minutes(ticket.office_id, ticket.service))


def current(counter: Counter) -> Ticket | None:
    return Ticket.objects.filter(counter=counter, status=Ticket.CALLED).order_by("-called_at").first()


def _close(counter: Counter, status: str) -> Ticket | None:
    ticket = current(counter)
    if ticket is not None:
        Ticket.objects.filter(pk=ticket.pk, status=Ticket.CALLED).update(
            status=status, finished_at=timezone.now())
        ticket.refresh_from_db()
    return ticket


def call_next(counter: Counter) -> Ticket | None:
    """Finish the counter's current resident and call the first waiting ticket it serves."""
    with transaction.atomic():
        _close(counter, Ticket.SERVED)
        waiting = Ticket.objects.filter(
            office_id=counter.office_id, service__in=counter.services.all(),
            day=timezone.localdate(), status=Ticket.WAITING).order_by("rank", "issued_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            waiting = waiting.select_for_update(skip_locked=True, of=("self",))
        ticket = waiting.first()
        if ticket is None:
            return None
        now = timezone.now()
        Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.CALLED, counter=counter, called_at=now,
                                                   announced_at=now, calls=1)
        ticket.refresh_from_db()
        return ticket


def recall(counter: Counter) -> Ticket | None:
    ticket = current(counter)
    if ticket is not None:
        Ticket.objects.filter(pk=ticket.pk).update(announced_at=timezone.now(), calls=ticket.calls + 1)
        ticket.refresh_from_db()
    return ticket


def no_show(counter: Counter) -> Ticket | None:
    return _close(counter, Ticket.NO_SHOW)


def finish(counter: Counter) -> Ticket | None:
    return _close(counter, Ticket.SERVED)
