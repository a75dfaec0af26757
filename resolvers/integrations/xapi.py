"""xAPI 1.0.3 statements to an organization's learning record store.

Verbs come from the ADL vocabulary; activity ids are built from the API's global ids under
BEACON_PUBLIC_URL, so they stay the same across renames and restarts; statement ids are UUIDv5 of
the outbox message, so a retried POST is the same statement (an LRS answers 204 or 409, never a
copy). The actor is an account on the organization's own system: homePage as the organization
configured it, name the learner's username there. Consultation data never becomes a statement.
"""

from __future__ import annotations

import base64
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import orjson

from models.accounts import Organization, User
from models.integrations import LearningRecordStore
from resolvers import permissions
from resolvers.actor import Actor
from resolvers.errors import NotFound
from resolvers.integrations import events, network, outbox, sealing

VERSION = "1.0.3"
STATEMENT_NAMESPACE = uuid.UUID("5b8f3c2e-8d0c-4b8e-9f4f-3f1d2b0c7a10")
VERBS = {
    "experienced": "http://adlnet.gov/expapi/verbs/experienced",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "answered": "http://adlnet.gov/expapi/verbs/answered",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
}
ACTIVITY_TYPES = {
    "lesson": "http://adlnet.gov/expapi/activities/lesson",
    "quiz": "http://adlnet.gov/expapi/activities/assessment",
    "question": "http://adlnet.gov/expapi/activities/cmi.interaction",
}

COLLECTIONS = {"lesson": "lessons", "quiz": "quizzes", "question": "questions"}


# ------------------------------------------------------------------ configuration


async def configure(
    actor: Actor,
    *,
    organization_id: int,
    endpoint: str,
    username: str,
    password: str,
    account_home_page: str,
    enabled: bool,
    allow_private_network: bool,
    secret_key: str,
) -> LearningRecordStore:
    """Set (or replace) an organization's LRS; admins may point it into a private network."""
    permissions.require_credential(actor)
    if not permissions.can_manage_learning_record_store(actor, organization_id):
        raise NotFound("No such organization.", field="organizationId")
    if not await Organization.exists(id=organization_id):
        raise NotFound("No such organization.", field="organizationId")
    if allow_private_network:
        permissions.require_role(
            actor, permissions.can_allow_private_network(actor), "Only an admin can allow a private network address."
        )
    await network.check_destination(endpoint, allow_private=allow_private_network, field="input.endpoint")
    network.parse_url(account_home_page, field="input.accountHomePage")
    values = {
        "endpoint": endpoint.rstrip("/"),
        "username": username,
        "password_sealed": sealing.seal(secret_key, password),
        "account_home_page": account_home_page,
        "enabled": enabled,
        "allow_private_network": allow_private_network,
    }
    store, created = await LearningRecordStore.get_or_create(defaults=values, organization_id=organization_id)
    if not created:
        await store.update_from_dict(values).save()
    return store


async def get(actor: Actor, organization_id: int) -> LearningRecordStore | None:
    if not permissions.can_manage_learning_record_store(actor, organization_id):
        return None
    return await LearningRecordStore.get_or_none(organization_id=organization_id)


async def remove(actor: Actor, organization_id: int) -> bool:
    permissions.require_credential(actor)
    if not permissions.can_manage_learning_record_store(actor, organization_id):
        raise NotFound("No such organization.", field="organizationId")
    return await LearningRecordStore.filter(organization_id=organization_id).delete() > 0


# ------------------------------------------------------------------ statements


def _activity(public_url: str, kind: str, type_name: str, pk: int, name: str | None, locale: str) -> dict[str, Any]:
    definition: dict[str, Any] = {"type": ACTIVITY_TYPES[kind]}
    if name:
        definition["name"] = {locale: name}
    return {
        "objectType": "Activity",
        "id": f"{public_url}/xapi/activities/{COLLECTIONS[kind]}/{events.global_id(type_name, pk)}",
        "definition": definition,
    }


def _verb(name: str) -> dict[str, Any]:
    return {"id": VERBS[name], "display": {"en-US": name}}


def _duration(seconds: int) -> str:
    return f"PT{max(0, int(seconds))}S"


def statements(payload: dict[str, Any], *, actor: dict[str, Any], public_url: str, uid: str) -> list[dict[str, Any]]:
    """The xAPI statements an outbox payload stands for, with ids stable across retries."""
    body = [_lesson(payload, actor, public_url)] if payload["kind"] == "lesson" else _quiz(payload, actor, public_url)
    for index, statement in enumerate(body):
        statement["id"] = str(uuid.uuid5(STATEMENT_NAMESPACE, f"{uid}/{index}"))
        statement["version"] = VERSION
    return body


def _lesson(payload: dict[str, Any], actor: dict[str, Any], public_url: str) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "actor": actor,
        "verb": _verb(payload["verb"]),
        "object": _activity(
            public_url, "lesson", "Lesson", payload["lessonId"], payload.get("title"), payload.get("locale") or "zh-CN"
        ),
        "timestamp": payload["at"],
    }
    if payload["verb"] == "completed":
        statement["result"] = {"completion": True, "duration": _duration(payload.get("seconds") or 0)}
    return statement


def _quiz(payload: dict[str, Any], actor: dict[str, Any], public_url: str) -> list[dict[str, Any]]:
    quiz = _activity(public_url, "quiz", "Quiz", payload["quizId"], payload.get("title"), "zh-CN")
    context = {"contextActivities": {"parent": [{"id": quiz["id"], "objectType": "Activity"}]}}
    answered = [
        {
            "actor": actor,
            "verb": _verb("answered"),
            "object": _activity(public_url, "question", "Question", question_id, None, "zh-CN"),
            "result": {"success": bool(correct)},
            "context": context,
            "timestamp": payload["at"],
        }
        for question_id, correct in payload["answers"]
    ]
    result: dict[str, Any] = {"completion": True, "score": {"scaled": round(float(payload["score"]) / 100, 4)}}
    if payload.get("passed") is not None:
        result["success"] = bool(payload["passed"])
    completed = {
        "actor": actor,
        "verb": _verb("completed"),
        "object": quiz,
        "result": result,
        "timestamp": payload["at"],
    }
    verdict = []
    if payload.get("passed") is not None:
        verdict = [{**completed, "verb": _verb("passed" if payload["passed"] else "failed")}]
    return [*answered, completed, *verdict]


async def _actor(store: LearningRecordStore, user_id: int) -> dict[str, Any] | None:
    username = await User.filter(id=user_id).values_list("username", flat=True)
    if not username:
        return None
    return {"objectType": "Agent", "account": {"homePage": store.account_home_page, "name": username[0]}}


async def deliver(message: outbox.Claimed, http: network.Http, *, secret_key: str, public_url: str) -> outbox.Outcome:
    """POST the statements; 200/204 stored, 409 already stored (a retry after a lost answer)."""
    store = await LearningRecordStore.get_or_none(organization_id=message.target_id)
    if store is None or not store.enabled:
        return outbox.Outcome(False, cancelled=True, error="The organization has no learning record store any more.")
    password = sealing.unseal(secret_key, store.password_sealed)
    actor = await _actor(store, int(message.payload["userId"]))
    if password is None or actor is None:
        return outbox.Outcome(False, error="The LRS password or the learner is gone.", retry=False)
    body = orjson.dumps(statements(message.payload, actor=actor, public_url=public_url, uid=message.uid))
    credentials = base64.b64encode(f"{store.username}:{password}".encode()).decode()
    headers = {
        "content-type": "application/json",
        "x-experience-api-version": VERSION,
        "authorization": f"Basic {credentials}",
    }
    started, moment = time.monotonic(), datetime.now(UTC)
    try:
        reply = await http.post(
            f"{store.endpoint}/statements", headers, body, allow_private=store.allow_private_network
        )
    except Exception as error:  # noqa: BLE001 (any transport failure is a failed try, recorded and retried)
        return outbox.Outcome(
            False,
            error=f"{type(error).__name__}: {error}"[:300],
            started_at=moment,
            duration_ms=int((time.monotonic() - started) * 1000),
        )
    ok = 200 <= reply.status < 300 or reply.status == 409
    # A statement the LRS refuses as malformed will be refused again: do not retry 4xx other than 408/429.
    retry = not (400 <= reply.status < 500) or reply.status in (408, 429)
    return outbox.Outcome(
        ok,
        reply.status,
        None if ok else f"HTTP {reply.status}: {reply.body[:200].decode(errors='replace')}",
        retry=retry,
        started_at=moment,
        duration_ms=int((time.monotonic() - started) * 1000),
    )
