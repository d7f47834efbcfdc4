"""The node form's rows for the template, from field values (the node's, or what was
posted when it was refused, so nothing the editor typed is lost)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from central.editing.doc import FlowDoc
from central.editing.graph import choice_labels
from central.editing.nodeform import BASIS_PARTS, LISTS, TEXTS
from central.editing.words import in_words
from kiosk.flows.limits import LIMITS

LABELS = {"text": _("Text on the screen"), "help": _("Help line"), "speak": _("Spoken instead (optional)"),
          "body": _("Body"), "title": _("Title"), "summary": _("Summary"), "label": _("Button label"),
          "say": _("Voice synonyms (comma separated)"), "steps": _("What to do, one step a line"),
          "documents": _("Documents to bring, one a line"), "law": _("Law"), "article": _("Article"),
          "gist": _("What it says (optional)"), "deadline": _("Deadline"),
          "note": _("Note on this place (optional)")}


def _cells(fields: Mapping[str, str], errors: Mapping[str, str], prefix: str, locales: Sequence[str],
           limit: float | None) -> list[dict[str, Any]]:
    return [{"loc": loc, "name": f"{prefix}.{loc}", "value": fields.get(f"{prefix}.{loc}", ""),
             "error": errors.get(f"{prefix}.{loc}", ""), "limit": limit} for loc in locales]


def _count(fields: Mapping[str, str], name: str) -> int:
    try:
        return max(0, min(int(fields.get(f"{name}-count", "0")), 200))
    except ValueError:
        return 0


def _basis_parts(fields: Mapping[str, str], errors: Mapping[str, str], prefix: str,
                 locales: Sequence[str]) -> list[dict[str, Any]]:
    """Law, article and gist of one legal basis (an outcome's, or a deadline's own)."""
    return [{"part": part, "label": LABELS[part],
             "cells": _cells(fields, errors, f"{prefix}-{part}", locales, LIMITS[part])}
            for part in BASIS_PARTS]


def _notes(fields: Mapping[str, str], errors: Mapping[str, str],
           locales: Sequence[str]) -> list[dict[str, Any]]:
    """One note row per place that has its note fields (the places of the node as loaded)."""
    services = [key[len("note-"):-len(f".{locales[0]}")] for key in fields
                if key.startswith("note-") and key.endswith(f".{locales[0]}")]
    return [{"service": s, "cells": _cells(fields, errors, f"note-{s}", locales, LIMITS["note"])}
            for s in services]


def node_context(doc: FlowDoc, fields: Mapping[str, str], errors: Mapping[str, str],
                 locales: Sequence[str], lang: str) -> dict[str, Any]:
    kind = fields.get("kind", "")
    node = doc.node(fields["id"])
    texts = [{"key": k, "label": LABELS.get(k, k), "multiline": LIMITS.get(k, 0) > 90,
              "cells": _cells(fields, errors, k, locales, LIMITS.get(k))} for k in TEXTS.get(kind, [])]
    choices = []
    if node.get("input") == "choice":
        for i in range(_count(fields, "choice") + 1):  # + one empty row to add a choice
            p = f"choice-{i}"
            choices.append({"i": i, "value": fields.get(f"{p}-value", ""),
                            "icon": fields.get(f"{p}-icon", ""),
                            "value_error": errors.get(f"{p}-value", ""),
                            "labels": _cells(fields, errors, f"{p}-label", locales, LIMITS["label"]),
                            "says": _cells(fields, errors, f"{p}-say", locales, None)})
    labels = choice_labels(doc, lang)
    branches = []
    if kind != "outcome":
        for i in range(_count(fields, "branch") + 1):  # + one empty row to add a branch
            p = f"branch-{i}"
            when = fields.get(f"{p}-when", "")
            branches.append({"i": i, "when": when, "goto": fields.get(f"{p}-goto", ""),
                             "words": in_words(when, lang, labels) if when or fields.get(f"{p}-goto") else "",
                             "when_error": errors.get(f"{p}-when", ""),
                             "goto_error": errors.get(f"{p}-goto", "")})
    outcome: dict[str, Any] = {}
    if kind == "outcome":
        outcome["lists"] = [{"key": k, "label": LABELS[k],
                             "cells": _cells(fields, errors, k, locales, LIMITS[v])}
                            for k, v in LISTS.items()]
        outcome["basis"] = [{"i": i, "parts": _basis_parts(fields, errors, f"basis-{i}", locales)}
                            for i in range(_count(fields, "basis") + 1)]
        outcome["where"] = fields.get("where", "")
        outcome["notes"] = _notes(fields, errors, locales)
        outcome["deadlines"] = [{"i": i, "text": _cells(fields, errors, f"deadline-{i}-text", locales,
                                                        LIMITS["deadline"]),
                                 "parts": _basis_parts(fields, errors, f"deadline-{i}", locales)}
                                for i in range(_count(fields, "deadline") + 1)]  # + one row to add
    variables = []
    for name, spec in (doc.data.get("variables") or {}).items():
        variables.append({"name": name, "type": str((spec or {}).get("type", "")),
                          "choices": sorted((labels.get(name) or {}).items())})
    steps = [str(s.get("id")) for s in doc.data.get("steps") or []]
    return {"kind": kind, "node_id": fields["id"], "input": node.get("input"), "var": node.get("var"),
            "texts": texts, "choices": choices, "branches": branches, "outcome": outcome,
            "choice_count": len(choices), "branch_count": len(branches),
            "basis_count": len(outcome.get("basis", [])), "step": fields.get("step", ""), "steps": steps,
            "targets": doc.node_ids(), "variables": variables, "errors": errors,
            "compute": dict(node.get("set") or {}) if kind == "compute" else {}}
