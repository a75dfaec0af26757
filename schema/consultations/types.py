"""Consultation desk types: the directory, threads, plans, visits, consent and the access log."""

from __future__ import annotations

from datetime import datetime

import strawberry

from models import consultations as models
from resolvers import accounts, permissions
from resolvers.consultations import audit, loaders, sealed, threads
from resolvers.content import loaders as content_loaders
from schema.content.types import MediaAsset
from schema.context import Info
from schema.relay import After, Before, Connection, First, Last, Node, PageArgs, paginate_listing, to_global_id
from schema.shared import described_enum, present

# described_enum registers the model's enum in place; the alias lets type checkers read it as a type.
ExpertiseArea = models.ExpertiseArea
described_enum(
    ExpertiseArea,
    "The four expert groups of the consultation desk.",
    {
        "PSYCHOLOGICAL": "Psychological counseling (心理矫治).",
        "LEGAL": "Legal advice (法律咨询).",
        "EDUCATIONAL": "Educational correction (教育矫正).",
        "REHABILITATION": "Rehabilitation training (康复训练).",
    },
)
ConsultationStatus = models.ConsultationStatus
described_enum(
    ConsultationStatus,
    "Where a consultation thread stands.",
    {
        "OPEN": "Waiting for the expert's answer.",
        "ANSWERED": "The expert answered the latest message.",
        "CLOSED": "The client closed it; it reopens when they write again.",
    },
)
VisitStatus = models.VisitStatus
described_enum(
    VisitStatus,
    "Where an offline visit stands.",
    {
        "REQUESTED": "The client asked for a visit; the expert has not scheduled it yet.",
        "SCHEDULED": "The expert set a time and place.",
        "DONE": "The expert marked it as held.",
        "CANCELLED": "Called off by the client or the expert.",
    },
)


@strawberry.type(description="A member of the expert pool, as the directory shows them.")
class Expert(Node):
    display_name: str = strawberry.field(description="The name the directory shows.")
    title: str | None = strawberry.field(description="Professional title (up to 200 characters); null when not given.")
    bio: str | None = strawberry.field(
        description="A short introduction (up to 5,000 characters); null when not given."
    )
    area: ExpertiseArea = strawberry.field(description="The expert group they belong to.")
    specialties: list[str] = strawberry.field(description="Topics they take questions on.")
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
    area: ExpertiseArea = strawberry.field(description="The area.")
    name: str = strawberry.field(description="The area's name in the asked language.")
    description: str | None = strawberry.field(description="What the area helps with; null when not written.")

    @strawberry.field(description="Everyone in this area, including experts not taking new consultations.")
    async def experts(self, info: Info) -> list[Expert]:
        profiles = await info.context.loader(loaders.experts_by_area).load(models.ExpertiseArea(self.area))
        return [Expert.from_model(p) for p in profiles]


@strawberry.type(description="Who wrote a message: shown by display name only.")
class MessageAuthor:
    display_name: str = strawberry.field(description="The author's shown name.")
    is_expert: bool = strawberry.field(description="True when the consultation's expert wrote it.")
    is_viewer: bool = strawberry.field(description="True when the author is the signed-in caller.")


@strawberry.type(description="One message of a consultation; immutable once sent.")
class Message(Node):
    body: str = strawberry.field(description="The message text (plain text, as written).")
    sent_at: datetime = strawberry.field(description="When it was sent (UTC).")
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
    id: strawberry.ID = strawberry.field(
        description="Identifies this measure within this revision of the plan (a new revision gives new IDs)."
    )
    description: str = strawberry.field(description="What is to be done.")
    due_at: datetime | None = strawberry.field(description="By when; null when open-ended.")
    done: bool = strawberry.field(description="Whether it has been carried out.")


@strawberry.type(description='The individual help plan ("one person, one plan") an expert draws up.')
class HelpPlan:
    goals: str = strawberry.field(description="What the plan aims at, in the expert's words.")
    measures: list[HelpMeasure] = strawberry.field(description="The steps, in order.")
    follow_up_at: datetime | None = strawberry.field(
        description="When the expert means to follow up; null when not set."
    )
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
    status: VisitStatus = strawberry.field(description="Where the visit stands.")
    scheduled_at: datetime | None = strawberry.field(
        description="When it takes place (set by the expert); null until scheduled."
    )
    location: str | None = strawberry.field(
        description="Where it takes place (set by the expert); null until scheduled."
    )
    note: str | None = strawberry.field(description="The client's note when requesting it; null when none.")

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
    at: datetime = strawberry.field(description="When it happened (UTC).")
    actor_display_name: str = strawberry.field(description="The name of the person (an admin) who acted.")
    actor_roles: list[str] = strawberry.field(description="The person's roles at the time, e.g. ADMIN.")
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
    at: datetime = strawberry.field(description="When it happened (UTC).")
    consultation_id: strawberry.ID = strawberry.field(description="Global ID of the consultation concerned.")
    actor_id: strawberry.ID | None = strawberry.field(description="The acting user; null for an API key.")
    actor_roles: list[str] = strawberry.field(description="The actor's roles at the time.")
    action: str = strawberry.field(description="What happened, e.g. OPENED, MESSAGE_SENT, ADMIN_READ, HELP_PLAN_SAVED.")
    detail: str = strawberry.field(
        description="More about the action (up to 200 characters), e.g. an admin's stated reason; may be empty."
    )
    stored_name: strawberry.Private[str]
    actor_pk: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, entry: models.ConsultationAudit) -> ConsultationAuditEntry:
        return cls(
            at=entry.created_at,
            consultation_id=strawberry.ID(to_global_id("Consultation", entry.consultation_id)),
            actor_id=strawberry.ID(to_global_id("User", entry.actor_user_id)) if entry.actor_user_id else None,
            actor_roles=list(entry.actor_roles),
            action=entry.action,
            detail=entry.detail,
            stored_name=entry.actor_name,
            actor_pk=entry.actor_user_id,
        )

    @strawberry.field(
        description="Who acted: staff by the name recorded; anyone else by their current shown name (the log "
        "stores only their id, so an erased person shows as a former user)."
    )
    async def actor_display_name(self, info: Info) -> str:
        if self.actor_pk is None or self.stored_name != f"user:{self.actor_pk}":
            return self.stored_name
        name = await info.context.loader(accounts.display_names_by_user_id).load(self.actor_pk)
        return name or self.stored_name


@strawberry.type(description="A private thread between a client and the expert they chose.")
class Consultation(Node):
    subject: str = strawberry.field(description="The client's subject line.")
    status: ConsultationStatus = strawberry.field(description="Where the thread stands.")
    client_display_name: str = strawberry.field(description="The client's shown name (a pseudonym if they chose one).")
    created_at: datetime = strawberry.field(description="When the client opened it (UTC).")
    last_message_at: datetime | None = strawberry.field(
        description="When the latest message was sent (UTC); null before the first."
    )
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
    version: int = strawberry.field(description="Version number, counting up; people accept a version.")
    locale: str = strawberry.field(description="BCP 47 language tag of this text, e.g. zh-CN.")
    text: str = strawberry.field(description="The notice (Markdown).")
    published_at: datetime = strawberry.field(description="When this version was published (UTC).")

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
    accepted_at: datetime = strawberry.field(description="When the person accepted it (UTC).")
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
