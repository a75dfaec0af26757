"""Invalidation: the content version changes after every mutation that could change a public read.

Deny by default: every mutation bumps the version once it has run (its transaction is
committed by then), except the ones listed here, which only write a caller's own or private
records (sign-in, learning progress, quiz attempts, consultations and consent). A new mutation
invalidates the public cache until someone proves it harmless and adds it to this list.
The content scheduler bumps the version itself after timed publications (scheduler.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from graphql import FieldNode, OperationDefinitionNode
from strawberry.extensions import SchemaExtension

PRIVATE_MUTATIONS = frozenset(
    {
        "register",
        "login",
        "logout",
        "recordLearning",
        "startQuizAttempt",
        "startPractice",
        "saveAttemptAnswers",
        "submitQuizAttempt",
        "acceptPrivacyNotice",
        "withdrawPrivacyConsent",
        "openConsultation",
        "sendMessage",
        "markConsultationRead",
        "closeConsultation",
        "saveHelpPlan",
        "requestVisit",
        "scheduleVisit",
        "cancelVisit",
        "completeVisit",
    }
)


def root_fields(document: object, operation_name: str | None) -> set[str] | None:
    """Names of the root fields of the operation; None when that cannot be told simply (fragments)."""
    definitions = getattr(document, "definitions", ())
    operations = [d for d in definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [o for o in operations if operation_name is None or (o.name and o.name.value == operation_name)]
    if len(chosen) != 1:
        return None
    names: set[str] = set()
    for selection in chosen[0].selection_set.selections:
        if not isinstance(selection, FieldNode):
            return None
        names.add(selection.name.value)
    return names


class ContentVersionBump(SchemaExtension):
    """Bump the content version after a mutation that may have changed what the public sees."""

    async def on_execute(self) -> AsyncIterator[None]:
        yield
        context = self.execution_context
        try:
            is_mutation = context.operation_type.value == "mutation"
        except Exception:  # no document: nothing ran  # noqa: BLE001
            return
        if not is_mutation:
            return
        names = root_fields(context.graphql_document, context.operation_name)
        if names is not None and names <= PRIVATE_MUTATIONS:
            return
        version = getattr(context.context, "services", {}).get("content_version")
        if version is not None:
            await version.bump()
