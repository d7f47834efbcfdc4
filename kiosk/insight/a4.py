"""The usage event for an A4 form print (issue 15): the contract's `print` / `print_failed`
with `what: form`, as the thermal slips have theirs.

The slips report through `PrintService.slip_observer`; the A4 form goes from the applicant
screen straight to the A4 adapter, so the screen records its event with this. The filled form
and the blank one are both `form`: the contract has no room for the kind or the applicant, and
nothing about them goes in.
"""

from __future__ import annotations

#: A4 adapter faults meaning the printer could not be reached or would not take the job
#: (CUPS down, no answer in time, the queue stopped or refusing work).
OFFLINE = frozenset({"cups_down", "timeout", "disabled", "not_accepting"})


def a4_form_event(printed: bool, fault: str | None) -> tuple[str, dict[str, str]]:
    """(kind, detail) for `UsageRecorder.record`; any other fault (a failed job, a printer
    CUPS does not know) is an `error`. CUPS does not tell a paper-out apart here."""
    if printed:
        return "print", {"what": "form"}
    return "print_failed", {"what": "form", "reason": "offline" if fault in OFFLINE else "error"}
