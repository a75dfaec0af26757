"""Consultation desk types: the directory, threads, plans, visits, consent and the access log."""

from __future__ import annotations

from datetime import datetime

import strawberry

from models import consultations as models
from resolvers import permissions
from resolvers.consultations import audit, loaders, sealed, threads
from resolvers.content import loaders as content_loaders
from schema.content.types import MediaAsset
from schema.context import Info
from schema.relay import After, Before, Connection, First, Last, Node, PageArgs, paginate_listing, to_global_id
from schema.shared import present

# strawberry.enum registers the model's enum in place; the alias lets type checkers read it as a type.
ExpertiseArea = models.ExpertiseArea
strawberry.enum(ExpertiseArea, description="The four expert groups of the consultation desk.")
ConsultationStatus = models.ConsultationStatus
strawberry.enum(ConsultationStatus)
VisitStatus = models.VisitStatus
strawberry.enum(VisitStatus)


@strawberry.type(description="A member of the expert pool, as the directory shows them.")
class Expert(Node):
    display_name: str
    title: str | None
    bio: str | None
    area: ExpertiseArea
    specialties: list[str]
    accepting_consultations: bool = strawberry.field(
        description="False: listed in the directory, but cannot be chosen for a new consultation."
    )
    photo_pk: strawberry.Private[int | None] = None

    @strawberry.field(description="The expert's portrait, if any.")
    async def photo(self, info: Info) -> MediaAsset | None:
        if self.photo_pk is None:
            return None
        asset = await info.context.loader(content_loaders.media_by_id).load(self.photo_pk)
        return MediaAsset.from_model(asset) if asset is not None and not asset.is_private else None

    @classmethod
    def from_model(cls, profile: models.ExpertProfile) -> Expert:
        return cls(
            id=to_global_id("Expert", profile.id),
            display_name=profile.display_name,
            title=profile.title,
            bio=profile.bio,
            area=models.ExpertiseArea(profile.area),
            specialties=list(profile.specialties or []),
            accepting_consultations=profile.accepting_consultations,
            photo_pk=profile.photo_id,
        )


@strawberry.type(description="One of the four areas, with its experts.")
class ExpertGroup:
    area: ExpertiseArea
    name: str
    description: str | None

    @strawberry.field(description="Everyone in this area, including experts not taking new consultations.")
    async def experts(self, info: Info) -> list[Expert]:
        profiles = await info.context.loader(loaders.experts_by_area).load(models.ExpertiseArea(self.area))
        return [Expert.from_model(p) for p in profiles]


@strawberry.type(description="Who wrote a message: shown by display name only.")
class MessageAuthor:
    display_name: str
    is_expert: bool
    is_viewer: bool = strawberry.field(description="True when the author is the signed-in caller.")


@strawberry.type(description="One message of a consultation; immutable once sent.")
class Message(Node):
    body: str
    sent_at: datetime
    read_at: datetime | None = strawberry.field(description="When the other party read it; null if not yet.")
    author_pk: strawberry.Private[int]
    author_name: strawberry.Private[str]
    from_expert: strawberry.Private[bool]
    pk: strawberry.Private[int]

    @classmethod
    def from_model(cls, message: models.ConsultationMessage) -> Message:
        return cls(
            id=to_global_id("Message", message.id),
            body=sealed.message_body(message),
            sent_at=message.sent_at,
            read_at=message.read_at,
            author_pk=message.author_id,
            author_name=message.author_name,
            from_expert=message.from_expert,
            pk=message.id,
        )

    @strawberry.field(description="Private files attached by the author; only the two parties can fetch them.")
    async def attachments(self, info: Info) -> list[MediaAsset]:
        found = await info.context.loader(loaders.media_by_message_id).load(self.pk)
        return [MediaAsset.from_model(m) for m in found]

    @strawberry.field(description="The author, by display name only.")
    def author(self, info: Info) -> MessageAuthor:
        return MessageAuthor(
            display_name=self.author_name,
            is_expert=self.from_expert,
            is_viewer=info.context.actor.user_id == self.author_pk,
        )


@strawberry.type(description="One step of a help plan.")
class HelpMeasure:
    id: strawberry.ID
    description: str
    due_at: datetime | None
    done: bool


@strawberry.type(description='The individual help plan ("one person, one plan") an expert draws up.')
class HelpPlan:
    goals: str
    measures: list[HelpMeasure]
    follow_up_at: datetime | None
    updated_at: datetime = strawberry.field(description="When this revision was saved.")
    revision: int = strawberry.field(description="1 for the first version; every saved revision is kept.")

    @classmethod
    def from_model(cls, plan: models.HelpPlanRevision) -> HelpPlan:
        return cls(
            goals=sealed.plan_goals(plan),
            measures=[
                HelpMeasure(
                    id=to_global_id("HelpMeasure", plan.id * 1000 + index),
                    description=m["description"],
                    due_at=datetime.fromisoformat(m["due_at"]) if m.get("due_at") else None,
                    done=bool(m.get("done")),
                )
                for index, m in enumerate(sealed.plan_measures(plan))
            ],
            follow_up_at=plan.follow_up_at,
            updated_at=plan.created_at,
            revision=plan.revision,
        )


@strawberry.type(description="An offline meeting of the client and the expert; only the two of them see it.")
class Visit(Node):
    status: VisitStatus
    scheduled_at: datetime | None
    location: str | None
    note: str | None

    @classmethod
    def from_model(cls, visit: models.Visit) -> Visit:
        return cls(
            id=to_global_id("Visit", visit.id),
            status=models.VisitStatus(visit.status),
            scheduled_at=visit.scheduled_at,
            location=sealed.visit_location(visit),
            note=sealed.visit_note(visit),
        )


@strawberry.type(description="Someone other than the client and their expert who opened or changed the consultation.")
class ConsultationAccess:
    at: datetime
    actor_display_name: str = strawberry.field(description="The name of the person (an admin) who acted.")
    actor_roles: list[str]
    action: str = strawberry.field(description="What they did, e.g. ADMIN_READ or EXPERT_READ.")
    reason: str | None = strawberry.field(description="Why an admin opened it, as they stated it; null otherwise.")

    @classmethod
    def from_model(cls, entry: models.ConsultationAudit) -> ConsultationAccess:
        return cls(
            at=entry.created_at,
            actor_display_name=entry.actor_name,
            actor_roles=list(entry.actor_roles),
            action=entry.action,
            reason=entry.reason or None,
        )


@strawberry.type(description="One record of the consultation audit log (admins only): who did what, when, to which.")
class ConsultationAuditEntry:
    at: datetime
    consultation_id: strawberry.ID
    actor_id: strawberry.ID | None = strawberry.field(description="The acting user; null for an API key.")
    actor_display_name: str
    actor_roles: list[str]
    action: str = strawberry.field(description="e.g. OPENED, MESSAGE_SENT, ADMIN_READ, HELP_PLAN_SAVED.")
    detail: str

    @classmethod
    def from_model(cls, entry: models.ConsultationAudit) -> ConsultationAuditEntry:
        return cls(
            at=entry.created_at,
            consultation_id=strawberry.ID(to_global_id("Consultation", entry.consultation_id)),
            actor_id=strawberry.ID(to_global_id("User", entry.actor_user_id)) if entry.actor_user_id else None,
            actor_display_name=entry.actor_name,
            actor_roles=list(entry.actor_roles),
            action=entry.action,
            detail=entry.detail,
        )


@strawberry.type(description="A private thread between a client and the expert they chose.")
class Consultation(Node):
    subject: str
    status: ConsultationStatus
    client_display_name: str = strawberry.field(description="The client's shown name (a pseudonym if they chose one).")
    created_at: datetime
    last_message_at: datetime | None
    model: strawberry.Private[models.Consultation]

    @classmethod
    def from_model(cls, consultation: models.Consultation) -> Consultation:
        return cls(
            id=to_global_id("Consultation", consultation.id),
            subject=consultation.subject,
            status=models.ConsultationStatus(consultation.status),
            client_display_name=consultation.client_display_name,
            created_at=consultation.created_at,
            last_message_at=consultation.last_message_at,
            model=consultation,
        )

    @strawberry.field(description="The expert the client chose.")
    async def expert(self, info: Info) -> Expert:
        profile = await info.context.loader(loaders.experts_by_id).load(self.model.expert_id)
        return Expert.from_model(present(profile, "expert profile"))

    @strawberry.field(description="The thread's messages, oldest first; `after:` fetches what a client missed.")
    async def messages(
        self, first: First = None, after: After = None, last: Last = None, before: Before = None
    ) -> Connection[Message]:
        return await paginate_listing(
            PageArgs(first, after, last, before), threads.messages(self.model.id), Message.from_model
        )

    @strawberry.field(description="The newest message.")
    async def last_message(self, info: Info) -> Message | None:
        message = await info.context.loader(loaders.last_messages_by_consultation).load(self.model.id)
        return Message.from_model(message) if message else None

    @strawberry.field(description="Messages from the other party that the caller has not read.")
    async def unread_count(self, info: Info) -> int:
        actor = info.context.actor
        if actor.user_id is None or not permissions.is_consultation_party(actor, self.model):
            return 0
        return await info.context.loader(loaders.unread_counts).load((self.model.id, actor.user_id))

    @strawberry.field(description="The current help plan; null until the expert writes one.")
    async def help_plan(self, info: Info) -> HelpPlan | None:
        plan = await info.context.loader(loaders.help_plans_by_consultation).load(self.model.id)
        return HelpPlan.from_model(plan) if plan else None

    @strawberry.field(description="Every saved revision of the help plan, oldest first.")
    async def help_plan_history(self, info: Info) -> list[HelpPlan]:
        revisions = await info.context.loader(loaders.help_plan_histories_by_consultation).load(self.model.id)
        return [HelpPlan.from_model(r) for r in revisions]

    @strawberry.field(description="Offline visits requested or arranged in this consultation.")
    async def visits(self, info: Info) -> list[Visit]:
        visits = await info.context.loader(loaders.visits_by_consultation).load(self.model.id)
        return [Visit.from_model(v) for v in visits]

    @strawberry.field(
        description="For the client (and admins): everyone other than the client and their expert who opened "
        "or changed this consultation, oldest first. Null for anyone else."
    )
    async def access_log(self, info: Info) -> list[ConsultationAccess] | None:
        if not permissions.can_read_access_log(info.context.actor, self.model):
            return None
        entries = await info.context.loader(loaders.access_logs_by_consultation).load(self.model.id)
        parties = (self.model.client_id, self.model.expert_user_id)
        return [ConsultationAccess.from_model(e) for e in entries if e.actor_user_id not in parties]

    @strawberry.field(
        description="Who opened my consultation: every read by the expert and by admins (with the reason they "
        "gave), oldest first; the expert's repeated reads within 10 minutes count once. For the client and admins; "
        "null for anyone else."
    )
    async def opened_by(self, info: Info) -> list[ConsultationAccess] | None:
        if not permissions.can_read_access_log(info.context.actor, self.model):
            return None
        entries = await info.context.loader(loaders.access_logs_by_consultation).load(self.model.id)
        return [ConsultationAccess.from_model(e) for e in entries if e.action in audit.READS]


@strawberry.type(description="What the consultation desk keeps, who can see it and for how long, in plain language.")
class PrivacyNotice:
    version: int
    locale: str
    text: str
    published_at: datetime

    @classmethod
    def from_model(cls, notice: models.PrivacyNotice) -> PrivacyNotice:
        return cls(version=notice.version, locale=notice.locale, text=notice.text, published_at=notice.published_at)


@strawberry.type(
    description="One consent a person gave: what for, to which data, and the notice they read, word for word."
)
class PrivacyConsentRecord:
    version: int = strawberry.field(description="The privacy-notice version accepted.")
    purpose: str = strawberry.field(description="What the consent is for, e.g. CONSULTATION_DESK.")
    scope: list[str] = strawberry.field(
        description="The data it lets Beacon keep: ACCOUNT, MESSAGES, ATTACHMENTS, HELP_PLANS, VISITS, ACCESS_LOG."
    )
    locale: str = strawberry.field(description="The locale of the notice text the person read.")
    notice_text: str = strawberry.field(description="The full text of the notice accepted (Markdown), as it was.")
    accepted_at: datetime
    withdrawn_at: datetime | None = strawberry.field(description="When it was withdrawn (or replaced by a newer one).")

    @classmethod
    def from_model(cls, record: models.PrivacyConsent) -> PrivacyConsentRecord:
        return cls(
            version=record.version,
            purpose=record.purpose,
            scope=list(record.scope or []),
            locale=record.locale,
            notice_text=record.notice_text,
            accepted_at=record.accepted_at,
            withdrawn_at=record.withdrawn_at,
        )
