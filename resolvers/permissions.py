"""Pure policy functions: who may see and do what. Every resolver asks here."""

from __future__ import annotations

from typing import Protocol

from models.base import PublicationStatus, Role
from resolvers.actor import Actor
from resolvers.errors import Forbidden, Unauthenticated

# What a signed-up person may pick for themselves; every other role is granted by an admin.
SELF_REGISTRABLE_ROLES = frozenset({Role.LEARNER, Role.CLIENT})


def is_admin(actor: Actor) -> bool:
    return actor.has(Role.ADMIN)


def is_staff(actor: Actor) -> bool:
    """Editors and admins see drafts and manage content."""
    return actor.has(Role.EDITOR, Role.ADMIN)


def can_manage_users(actor: Actor) -> bool:
    return is_admin(actor)


def can_manage_organizations(actor: Actor) -> bool:
    return is_admin(actor)


def can_read_user(actor: Actor, user_id: int) -> bool:
    """A person's account (username, roles, state) is seen by that person and by admins only.

    Teachers used to read every member of their organization, roles included: a CLIENT role tells
    a teacher who is in rehabilitation (issue 11, item 6). They read their organization's figures
    (organizationReport, quiz statistics) instead; anyone else's user id answers as a missing one.
    """
    return actor.user_id == user_id or (actor.is_user and is_admin(actor))


def can_read_organization(actor: Actor, organization_id: int) -> bool:
    """Organizations are visible to their members, their integration, and admins."""
    return is_admin(actor) or actor.organization_id == organization_id


def can_read_organization_report(actor: Actor, organization_id: int) -> bool:
    """Reports go to admins, and to teachers/admins and the API key of that organization."""
    if is_admin(actor):
        return True
    if actor.organization_id != organization_id:
        return False
    return actor.is_integration or actor.has(Role.TEACHER)


def can_read_learner_figures(actor: Actor, organization_id: int) -> bool:
    """Per-learner figures (display names) go to admins and the organization's teachers, not its API key."""
    if is_admin(actor):
        return True
    return actor.is_user and actor.organization_id == organization_id and actor.has(Role.TEACHER)


def require_user(actor: Actor) -> int:
    """Raise unless a signed-in person (not an integration) is calling; their user id.

    An API key is a credential, just not a person's: FORBIDDEN, as for any credential without the
    right (a 401 would tell the integration its key is dead and to stop using it).
    """
    if actor.user_id is not None:
        return actor.user_id
    if actor.api_key_id is not None:
        raise Forbidden("An API key acts for its organization, not for a person: sign in as a person for this.")
    raise Unauthenticated("Sign in first.")


def require_credential(actor: Actor) -> None:
    """UNAUTHENTICATED for a caller without a credential, before a check that would answer NOT_FOUND.

    A signed-out caller is told to sign in whether or not the object exists, so this hides nothing;
    with a credential, an object the caller may not manage stays NOT_FOUND (rule 2 of "Not allowed").
    """
    if actor.is_anonymous:
        raise Unauthenticated("Sign in first.")


def require_role(actor: Actor, allowed: bool, message: str) -> None:
    """Gate a root field or a mutation on the caller's role (docs/api-guide.md, "Not allowed").

    A caller who may never use it is told so, rather than shown an empty list: a caller without a
    credential gets UNAUTHENTICATED (signing in might help), one with a credential but without the
    role FORBIDDEN (it will not). Every role check of a mutation's service goes through here, so
    that no admin-only mutation answers a signed-out caller FORBIDDEN.
    """
    if allowed:
        return
    if actor.is_anonymous:
        raise Unauthenticated("Sign in first.")
    raise Forbidden(message)


def can_see_unpublished_content(actor: Actor) -> bool:
    """Drafts, reviews and archives are for editors and admins; everyone else sees PUBLISHED only."""
    return actor.is_user and is_staff(actor)


class Previewable(Protocol):
    """What a preview check reads of a content item (a model instance or a plain row)."""

    id: int
    status: PublicationStatus
    translation_of_id: int | None


def can_preview(actor: Actor, item: Previewable) -> bool:
    """A preview token's grant: the current (draft or pending) version of an item in its scope.

    Its scope is one item and its translations, or every item; ARCHIVED items are never previewed
    (they were withdrawn; an editor moves one back to DRAFT to work on it).
    """
    grant = actor.preview
    if grant is None or item.status == PublicationStatus.ARCHIVED:
        return False
    return grant.family_id is None or grant.family_id in (item.id, item.translation_of_id)


def previews_every_draft(actor: Actor) -> bool:
    """An all-drafts preview token: lists and search show drafts too (not ARCHIVED)."""
    return actor.preview is not None and actor.preview.family_id is None


def sees_working_version(actor: Actor, item: Previewable) -> bool:
    """Whether the caller reads an item's working version (a pending edit, a draft): editors, or its preview."""
    return can_see_unpublished_content(actor) or can_preview(actor, item)


def can_edit_content(actor: Actor) -> bool:
    return actor.is_user and is_staff(actor)


def can_manage_media(actor: Actor) -> bool:
    """Uploading, describing and listing content media."""
    return actor.is_user and is_staff(actor)


def can_upload_attachment(actor: Actor) -> bool:
    """People who take part in consultations (and staff) upload private attachments; API keys do not."""
    return actor.is_user and actor.has(Role.LEARNER, Role.CLIENT, Role.EXPERT, Role.EDITOR, Role.ADMIN)


def can_edit_quizzes(actor: Actor) -> bool:
    """Editors and admins write question banks, questions and quizzes, and read banks."""
    return is_staff(actor)


def can_read_quiz(actor: Actor, status: str) -> bool:
    """Staff see every quiz; everyone else (learners, teachers, clients, API keys) published ones only."""
    return is_staff(actor) or status == "PUBLISHED"


def can_read_quiz_stats(actor: Actor) -> bool:
    """Editors and admins see all attempts; teachers those of their own organization's learners."""
    return is_staff(actor) or (actor.has(Role.TEACHER) and actor.organization_id is not None)


def quiz_stats_organization(actor: Actor) -> int | None:
    """The organization a stats reader is limited to; None means every attempt."""
    return None if is_staff(actor) else actor.organization_id


# ------------------------------------------------------------ consultation desk
# A consultation is seen by its client, its expert, and an admin acting deliberately
# (every admin read is audited by the caller). Everyone else must find nothing.


class ConsultationParties(Protocol):
    """What the policy needs to know about a consultation: who its two parties are."""

    client_id: int
    expert_user_id: int


def is_consultation_party(actor: Actor, consultation: ConsultationParties) -> bool:
    """The client or the expert of this consultation, signed in as a person."""
    return actor.user_id is not None and actor.user_id in (consultation.client_id, consultation.expert_user_id)


def is_consultation_client(actor: Actor, consultation: ConsultationParties) -> bool:
    return actor.user_id is not None and actor.user_id == consultation.client_id


def is_consultation_expert(actor: Actor, consultation: ConsultationParties) -> bool:
    return actor.user_id is not None and actor.user_id == consultation.expert_user_id


def can_read_consultation(actor: Actor, consultation: ConsultationParties) -> bool:
    """Its two parties, and admins (whose reads are audited)."""
    return is_consultation_party(actor, consultation) or (actor.is_user and is_admin(actor))


def is_audited_read(actor: Actor, consultation: ConsultationParties) -> bool:
    """A read by someone other than the two parties: it must leave an audit record."""
    return can_read_consultation(actor, consultation) and not is_consultation_party(actor, consultation)


def can_write_to_consultation(actor: Actor, consultation: ConsultationParties) -> bool:
    """Messages, closing, read receipts and visit requests: the two parties only (not admins)."""
    return is_consultation_party(actor, consultation)


def can_subscribe_to_consultation(actor: Actor, consultation: ConsultationParties) -> bool:
    """Real-time events go to the two parties only."""
    return is_consultation_party(actor, consultation)


def can_write_help_plan(actor: Actor, consultation: ConsultationParties) -> bool:
    return is_consultation_expert(actor, consultation)


def can_schedule_visit(actor: Actor, consultation: ConsultationParties) -> bool:
    """Scheduling and marking a visit done is the expert's."""
    return is_consultation_expert(actor, consultation)


def can_read_access_log(actor: Actor, consultation: ConsultationParties) -> bool:
    """The client sees who else opened their consultation; admins see it too."""
    return is_consultation_client(actor, consultation) or (actor.is_user and is_admin(actor))


def can_open_consultation(actor: Actor) -> bool:
    return actor.is_user and actor.has(Role.LEARNER, Role.CLIENT)


def can_edit_expert_profile(actor: Actor, profile_user_id: int) -> bool:
    """Admins edit any profile; an expert edits their own."""
    if not actor.is_user:
        return False
    return is_admin(actor) or (actor.user_id == profile_user_id and actor.has(Role.EXPERT))


# ------------------------------------------------------------ integrations


def can_manage_webhooks(actor: Actor, organization_id: int | None) -> bool:
    """Admins manage every endpoint; an organization's API key manages its own organization's."""
    if actor.is_user and is_admin(actor):
        return True
    return actor.is_integration and organization_id is not None and actor.organization_id == organization_id


def can_allow_private_network(actor: Actor) -> bool:
    """Only a signed-in admin may point a webhook or an LRS into a private network, explicitly."""
    return actor.is_user and is_admin(actor)


def can_manage_learning_record_store(actor: Actor, organization_id: int) -> bool:
    """An organization's LRS is set by admins or by that organization's API key."""
    return can_manage_webhooks(actor, organization_id)
