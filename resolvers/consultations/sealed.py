"""The consultation desk's sealed fields (resolvers/vault.py): sealing on write, opening on read, the
start-up check of the key-encryption keys and `beacon rotate-data-key`.

Message bodies, help plans' goals and measures, and visits' place and note are stored sealed; the
schema reads them only through the functions here. Nothing searches or filters on them.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.models import Model

from models.accounts import User
from models.consultations import ConsultationMessage, DataKeyCheck, HelpPlanRevision, Visit
from models.content import MediaAsset
from resolvers import vault

MESSAGE_BODY = "consultation_message.body"
PLAN_GOALS = "help_plan_revision.goals"
PLAN_MEASURES = "help_plan_revision.measures"
VISIT_LOCATION = "consultation_visit.location"
VISIT_NOTE = "consultation_visit.note"


# ------------------------------------------------------------------ writing


def seal(text: str, purpose: str) -> str:
    return vault.seal_text(text, purpose)


def seal_optional(text: str | None, purpose: str) -> str | None:
    return None if text is None else vault.seal_text(text, purpose)


def seal_measures(measures: list[dict[str, object]]) -> dict[str, str]:
    """The measures as JSON text, sealed, kept as {"sealed": value} in the JSON column."""
    return {"sealed": vault.seal_text(json.dumps(measures, ensure_ascii=False), PLAN_MEASURES)}


# ------------------------------------------------------------------ reading


def message_body(message: ConsultationMessage) -> str:
    return vault.open_text(message.body, MESSAGE_BODY)


def plan_goals(plan: HelpPlanRevision) -> str:
    return vault.open_text(plan.goals, PLAN_GOALS)


def plan_measures(plan: HelpPlanRevision) -> list[dict[str, Any]]:
    measures: list[dict[str, Any]] = json.loads(vault.open_text(plan.measures["sealed"], PLAN_MEASURES))
    return measures


def visit_location(visit: Visit) -> str | None:
    return None if visit.location is None else vault.open_text(visit.location, VISIT_LOCATION)


def visit_note(visit: Visit) -> str | None:
    return None if visit.note is None else vault.open_text(visit.note, VISIT_NOTE)


# ------------------------------------------------------------------ the keys


async def check_database() -> None:
    """At start-up: refuse keys that cannot open what the database holds; register the current key."""
    ring = vault.keyring()
    known = await DataKeyCheck.all()
    for row in known:
        vault.verify_check(row.kid, row.check)
    if ring.current not in {row.kid for row in known}:
        with contextlib.suppress(IntegrityError):  # another process registered it at the same moment
            await DataKeyCheck.create(kid=ring.current, check=vault.check_value(), created_at=datetime.now(UTC))


# (model, column, changes concurrently) of every wrapped data key; a text column holds a whole sealed value.
_TEXT_COLUMNS: tuple[tuple[type[Model], str, bool], ...] = (
    (ConsultationMessage, "body", False),
    (HelpPlanRevision, "goals", False),
    (HelpPlanRevision, "measures", False),
    (Visit, "location", True),
    (Visit, "note", True),
    # A person's TOTP secret (resolvers/second_factor.py) may be replaced by a new enrolment meanwhile.
    (User, "totp_secret", True),
)
BATCH = 500


@dataclass
class Rotation:
    """What `beacon rotate-data-key` did: data keys re-wrapped per column, and the retired KEKs."""

    rewrapped: dict[str, int] = field(default_factory=dict)
    retired: list[str] = field(default_factory=list)


async def _rewrap_column(model: type[Model], column: str, guarded: bool, report: Rotation) -> int:
    done = 0
    last = 0
    while True:
        rows = (
            await model.filter(id__gt=last, **{f"{column}__isnull": False})
            .order_by("id")
            .limit(BATCH)
            .values_list("id", column)
        )
        if not rows:
            break
        for pk, value in rows:
            last = pk
            # The measures' JSON column holds {"sealed": value}.
            new = vault.rewrap_text(value["sealed"] if isinstance(value, dict) else value)
            if new is None:
                continue
            # A value that may change meanwhile is replaced only if it is still the one re-wrapped.
            match = {"id": pk, column: value} if guarded else {"id": pk}
            done += await model.filter(**match).update(**{column: {"sealed": new} if isinstance(value, dict) else new})
    name = f"{model._meta.db_table}.{column}"
    report.rewrapped[name] = report.rewrapped.get(name, 0) + done
    return done


async def _rewrap_files(report: Rotation) -> int:
    done = 0
    last = 0
    while True:
        rows = (
            await MediaAsset.filter(id__gt=last, sealed_key__isnull=False)
            .order_by("id")
            .limit(BATCH)
            .values_list("id", "sealed_key")
        )
        if not rows:
            break
        for pk, wrapped in rows:
            last = pk
            new = vault.rewrap(wrapped)
            if new is not None:
                done += await MediaAsset.filter(id=pk, sealed_key=wrapped).update(sealed_key=new)
    report.rewrapped["media_asset.sealed_key"] = report.rewrapped.get("media_asset.sealed_key", 0) + done
    return done


async def rotate(max_passes: int = 5) -> Rotation:
    """Re-wrap every data key under the current KEK (ciphertexts stay as they are), then retire the others.

    Runs beside serving processes: each row is one short UPDATE. A pass that finds nothing left to
    re-wrap proves no value needs an old key any more; only then are the old keys' rows removed.
    """
    await check_database()
    report = Rotation()
    for _ in range(max_passes):
        changed = sum([await _rewrap_column(m, c, g, report) for m, c, g in _TEXT_COLUMNS])
        changed += await _rewrap_files(report)
        if not changed:
            current = vault.keyring().current
            old = [str(kid) for kid in await DataKeyCheck.exclude(kid=current).values_list("kid", flat=True)]
            await DataKeyCheck.filter(kid__in=old).delete()
            report.retired = sorted(old)
            return report
    raise vault.DataKeyError(
        "values keep arriving under an old data key: is a process still running with the old key first in BEACON_DATA_KEY?"
    )
