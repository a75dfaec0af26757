"""Lessons and stories: create, edit (pending revisions), the editorial workflow, reading and listing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tortoise import connections
from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q

import locales
from models import sql
from models.content import (
    Audience,
    ContentChange,
    ContentItem,
    ContentMedia,
    ContentRevision,
    ContentTag,
    ContentType,
    LessonSection,
    MediaAsset,
    MediaKind,
    PublicationStatus,
    StoryKind,
    Tag,
)
from resolvers import permissions
from resolvers.actor import Actor
from resolvers.content import search, works
from resolvers.content.text import clean_slug, is_locale, render_markdown, slugify
from resolvers.errors import Conflict, Invalid, InvalidMany, NotFound, TooLarge, a_or_an
from resolvers.integrations import events as integration_events
from resolvers.listing import Listing

DEFAULT_LOCALE = locales.DEFAULT_LOCALE
PUBLISHED = PublicationStatus.PUBLISHED
# Fields of the editable version of an item; a revision's snapshot holds exactly these.
SCALAR_FIELDS = (
    "title", "slug", "summary", "body", "audiences", "section", "kind", "narrator",
    "estimated_minutes", "cover_image_id",
)  # fmt: skip
VERSION_FIELDS = (*SCALAR_FIELDS, "tags", "media_ids")
TRANSITIONS: dict[PublicationStatus, frozenset[PublicationStatus]] = {
    PublicationStatus.DRAFT: frozenset({PublicationStatus.IN_REVIEW, PUBLISHED, PublicationStatus.ARCHIVED}),
    PublicationStatus.IN_REVIEW: frozenset({PublicationStatus.DRAFT, PUBLISHED, PublicationStatus.ARCHIVED}),
    PUBLISHED: frozenset({PUBLISHED, PublicationStatus.ARCHIVED, PublicationStatus.DRAFT}),
    PublicationStatus.ARCHIVED: frozenset({PublicationStatus.DRAFT}),
}
_CHANGE_LOCK = 730_301  # PostgreSQL advisory lock: change ids are handed out in commit order


@dataclass
class ContentFilter:
    """What lessons(filter:) and stories(filter:) may narrow by, and in which locale they answer.

    By default a list shows one item per work (works.py) in `wanted`, the locale the schema
    negotiated (locales.wanted: `locale` if given, else Accept-Language, else zh-CN).
    `all_locales` lists every item of every locale instead, as lists did before; only then
    does `locale` narrow to the items written in exactly that locale.
    """

    section: LessonSection | None = None
    kind: StoryKind | None = None
    audience: Audience | None = None
    tag: str | None = None  # a slug
    tag_name: str | None = None
    locale: str | None = None
    query: str | None = None
    updated_since: datetime | None = None
    status: PublicationStatus | None = None
    all_locales: bool = False
    wanted: str | None = None

    def in_locale(self) -> str | None:
        """The locale the list answers in, one item per work; None when it lists every locale."""
        return None if self.all_locales else (self.wanted or locales.wanted(self.locale, None))


# What a list page reads of each item: every column the API shows or checks, read as plain
# rows (models/sql.detached_rows) rather than model instances. audience_key, created_by_id and
# learner_count are only filtered or ordered on.
ROW_COLUMNS = (
    "id",
    "content_type",
    "slug",
    "locale",
    "title",
    "summary",
    "body",
    "body_html",
    "audiences",
    "status",
    "published_at",
    "updated_at",
    "created_at",
    "section",
    "kind",
    "narrator",
    "estimated_minutes",
    "pending",
    "cover_image_id",
    "translation_of_id",
    "publish_at",
    "unpublish_at",
)
# A read-only named tuple of ROW_COLUMNS; it has the same attributes as ContentItem for what the API reads.
ContentRow = Any


# ------------------------------------------------------------------ reading


def visible(actor: Actor, item: ContentItem | None) -> bool:
    """Staff see every status; a preview token the items in its scope; everyone else PUBLISHED only."""
    return item is not None and (item.status == PUBLISHED or permissions.sees_working_version(actor, item))


async def lesson_exists(pk: int) -> bool:
    """Whether a lesson with this id exists, in any status (other domains link to lessons by id)."""
    return await ContentItem.exists(id=pk, content_type=ContentType.LESSON)


async def get(actor: Actor, content_type: ContentType, pk: int) -> ContentItem | None:
    item = await ContentItem.get_or_none(id=pk, content_type=content_type)
    return item if visible(actor, item) else None


async def get_by_slug(
    actor: Actor, content_type: ContentType, slug: str, locale: str | None
) -> tuple[ContentItem | None, bool]:
    """The item with this slug in the asked locale, else its translation there, else the original; and whether that was a fallback."""
    candidates = [i for i in await ContentItem.filter(content_type=content_type, slug=slug) if visible(actor, i)]
    if not candidates:
        return None, False
    if locale is None:
        return _prefer(candidates, DEFAULT_LOCALE), False
    exact = [i for i in candidates if i.locale.lower() == locale.lower()]
    if exact:
        return exact[0], False
    found = _prefer(candidates, DEFAULT_LOCALE)
    group = found.translation_of_id or found.id
    family = [
        i
        for i in await ContentItem.filter(Q(id=group) | Q(translation_of_id=group), content_type=content_type)
        if visible(actor, i)
    ]
    translated = [i for i in family if i.locale.lower() == locale.lower()]
    if translated:
        return translated[0], False
    original = next((i for i in family if i.id == group), found)
    return original, True


def _prefer(items: list[ContentItem], locale: str) -> ContentItem:
    return next((i for i in items if i.locale == locale), items[0])


ORDERINGS = {
    "NEWEST": "ci.published_at DESC, ci.created_at DESC, ci.id DESC",
    "OLDEST": "ci.published_at, ci.created_at, ci.id",
    "TITLE": "ci.title, ci.id",
    "POPULAR": "ci.learner_count DESC, ci.published_at DESC, ci.id DESC",
}


def list_items(actor: Actor, content_type: ContentType, flt: ContentFilter, order: str | None) -> Listing[ContentRow]:
    """Lessons or stories the actor may see, filtered; ranked by relevance when there is a query and no order.

    One statement for a page and one for the count, both with the same conditions (one item per
    work unless flt.all_locales), so totalCount and paging agree with what is listed.
    """
    if flt.query and flt.query.strip():
        return _search_listing(actor, [content_type], flt, order)
    where, params = _sql_filters(actor, [content_type], flt)
    conditions = " AND ".join(where)
    page_sql = f"SELECT {sql.select_list(ContentItem, ROW_COLUMNS, 'ci')} FROM content_item ci WHERE {conditions} ORDER BY {ORDERINGS[order or 'NEWEST']}"  # noqa: S608 fixed fragments; values are parameters
    count_sql = f"SELECT COUNT(*) AS n FROM content_item ci WHERE {conditions}"  # noqa: S608 fixed fragments; values are parameters

    async def fetch(offset: int, limit: int) -> Sequence[ContentRow]:
        return await sql.model_rows(
            ContentItem, ROW_COLUMNS, f"{page_sql} LIMIT {int(limit)} OFFSET {int(offset)}", params
        )

    async def count() -> int:
        return int((await sql.select(count_sql, params))[0]["n"])

    return Listing(fetch, count)


def search_items(
    actor: Actor,
    query: str,
    *,
    locale: str | None,
    audience: Audience | None,
    all_locales: bool = False,
    wanted: str | None = None,
) -> Listing[ContentRow]:
    """Lessons and stories matching a full-text query, best first (one item per work unless all_locales)."""
    flt = ContentFilter(query=query, locale=locale, audience=audience, all_locales=all_locales, wanted=wanted)
    return _search_listing(actor, [ContentType.LESSON, ContentType.STORY], flt, None)


def _search_listing(
    actor: Actor, types: list[ContentType], flt: ContentFilter, order: str | None
) -> Listing[ContentRow]:
    where, params = _sql_filters(actor, types, flt)
    total: list[int] = []

    async def fetch(offset: int, limit: int) -> Sequence[ContentRow]:
        ids, count = await search.ranked_ids(flt.query or "", where, params, offset=offset, limit=limit, order=order)
        total[:] = [count]
        rows = {i.id: i for i in await sql.detached_rows(ContentItem.filter(id__in=ids), ROW_COLUMNS)} if ids else {}
        return [rows[i] for i in ids if i in rows]

    async def count() -> int:
        if not total:
            _, n = await search.ranked_ids(flt.query or "", where, params, offset=0, limit=1)
            total[:] = [n]
        return total[0]

    return Listing(fetch, count)


def _sql_filters(actor: Actor, types: list[ContentType], flt: ContentFilter) -> tuple[list[str], list[Any]]:
    where = [f"ci.content_type IN ({', '.join('?' for _ in types)})"]
    params: list[Any] = [t.value for t in types]
    statuses: list[str] | None = None
    if permissions.previews_every_draft(actor) and not permissions.can_see_unpublished_content(actor):
        statuses = [status.value for status in PublicationStatus if status != PublicationStatus.ARCHIVED]
    elif not permissions.can_see_unpublished_content(actor):
        statuses = [PUBLISHED.value]
    elif flt.status is not None:
        statuses = [PublicationStatus(flt.status).value]
    if statuses is not None:  # the caller's visibility: the same for the rows and for works.chosen
        where.append(f"ci.status IN ({sql.marks(len(statuses))})")
        params.extend(statuses)
    wanted = flt.in_locale()
    for column, value in (
        ("section", flt.section),
        ("kind", flt.kind),
        ("locale", flt.locale if wanted is None else None),
    ):
        if value:
            where.append(f"ci.{column} = ?")
            params.append(value.value if hasattr(value, "value") else value)
    if flt.audience is not None:
        where.append("ci.audience_key LIKE ?")
        params.append(f"%|{Audience(flt.audience).value}|%")
    if flt.tag:
        where.append(
            "EXISTS (SELECT 1 FROM content_item_tag ct JOIN content_tag t ON t.id = ct.tag_id "
            "WHERE ct.content_id = ci.id AND t.slug = ?)"
        )
        params.append(flt.tag)
    if flt.tag_name:
        where.append(
            "EXISTS (SELECT 1 FROM content_item_tag ct JOIN content_tag t ON t.id = ct.tag_id "
            "WHERE ct.content_id = ci.id AND t.name = ?)"
        )
        params.append(clean_tag_name(flt.tag_name))
    if flt.updated_since is not None:
        where.append("ci.updated_at >= ?")
        params.append(flt.updated_since if not sql.is_sqlite() else _sqlite_datetime(flt.updated_since))
    if wanted is not None:
        condition, condition_params = works.chosen(wanted, statuses)
        where.append(condition)
        params.extend(condition_params)
    return where, params


def _sqlite_datetime(value: datetime) -> str:
    """How Tortoise stores an aware datetime in SQLite (ISO text in UTC), so text comparison orders correctly."""
    return value.astimezone(UTC).isoformat(sep=" ")


# ------------------------------------------------------------------ writing


async def _validate(changes: dict[str, Any], content_type: ContentType) -> dict[str, Any]:
    """Check and normalise given fields; raise every problem at once."""
    problems: list[Invalid] = []
    out = dict(changes)
    if "title" in out:
        out["title"] = (out["title"] or "").strip()
        if not 1 <= len(out["title"]) <= 300:
            problems.append(Invalid("Give a title of 1–300 characters.", field="input.title"))
    if out.get("slug") is not None:
        slug = clean_slug(out["slug"])
        if slug is None:
            problems.append(Invalid("A slug needs letters or digits.", field="input.slug"))
        out["slug"] = slug
    if "locale" in out:
        out["locale"] = out["locale"] or DEFAULT_LOCALE
        if not is_locale(out["locale"]):
            problems.append(
                Invalid(
                    "Give a BCP 47 language tag such as zh-CN or en.",
                    field="input.locale",
                )
            )
    if out.get("estimated_minutes") is not None and not 0 < out["estimated_minutes"] <= 1000:
        problems.append(
            Invalid(
                "Estimated minutes must be between 1 and 1000.",
                field="input.estimatedMinutes",
            )
        )
    if "audiences" in out:
        out["audiences"] = sorted({Audience(a).value for a in out["audiences"] or []})
    if "tags" in out:
        names = [clean_tag_name(t) for t in out["tags"] or []]
        if any(not n or len(n) > 100 for n in names):
            problems.append(Invalid("Tags are 1–100 characters.", field="input.tags"))
        out["tags"] = list(dict.fromkeys(names))
    for key in ("section", "kind"):
        if out.get(key) is not None:
            out[key] = out[key].value if hasattr(out[key], "value") else out[key]
    ids = [out["cover_image_id"]] if out.get("cover_image_id") else []
    ids += list(out.get("media_ids") or [])
    if ids:
        found = await MediaAsset.filter(id__in=ids, is_private=False).values_list("id", "kind")
        kinds = dict(found)
        if out.get("cover_image_id") and kinds.get(out["cover_image_id"]) != MediaKind.IMAGE:
            problems.append(Invalid("The cover must be an uploaded image.", field="input.coverImageId"))
        if any(i not in kinds for i in out.get("media_ids") or []):
            problems.append(Invalid("Some media do not exist.", field="input.mediaIds"))
        if "media_ids" in out:
            out["media_ids"] = list(dict.fromkeys(out["media_ids"]))
    if problems:
        raise InvalidMany(list(problems)) if len(problems) > 1 else problems[0]
    return out


async def create(actor: Actor | None, content_type: ContentType, given: dict[str, Any]) -> ContentItem:
    """A new lesson or story, as a DRAFT. actor None: the system (demo seed)."""
    if actor is not None:
        permissions.require_role(actor, permissions.can_edit_content(actor), "Only editors can write content.")
    values = await _validate({"locale": given.get("locale"), **given}, content_type)
    translation_of = values.pop("translation_of_id", None)
    if translation_of is not None:
        original = await ContentItem.get_or_none(id=translation_of, content_type=content_type)
        if original is None:
            raise NotFound("No such lesson to translate.", field="input.translationOfId")
        translation_of = original.translation_of_id or original.id
        if await ContentItem.exists(
            Q(id=translation_of) | Q(translation_of_id=translation_of),
            locale=values["locale"],
        ):
            raise Conflict(
                "That lesson already has a translation in this locale.",
                field="input.locale",
            )
    slug = values.get("slug") or slugify(values["title"])
    if not values.get("slug"):
        slug = await _free_slug(content_type, values["locale"], slug)
    item = ContentItem(
        content_type=content_type,
        locale=values["locale"],
        slug=slug,
        translation_of_id=translation_of,
        created_by_id=actor.user_id if actor else None,
        status=PublicationStatus.DRAFT,
    )
    _apply_scalars(item, values)
    try:
        await item.save()
    except IntegrityError:
        raise Conflict("That slug is taken in this locale.", field="input.slug") from None
    await _set_relations(item, values)
    await search.index_item(item)
    await _revision(item, actor, "CREATED", [k for k in VERSION_FIELDS if k in values], {})
    return item


async def _free_slug(content_type: ContentType, locale: str, base: str) -> str:
    taken = set(
        await sql.flat(
            ContentItem.filter(content_type=content_type, locale=locale, slug__startswith=base).values_list(
                "slug", flat=True
            )
        )
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _apply_scalars(item: ContentItem, values: dict[str, Any]) -> None:
    for key in SCALAR_FIELDS:
        if key in values and not (key == "slug" and values[key] is None):
            setattr(item, key, values[key])
    if "body" in values:
        item.body_html = render_markdown(item.body)
    if "audiences" in values:
        item.audience_key = "|" + "|".join(item.audiences) + ("|" if item.audiences else "")


async def _set_relations(item: ContentItem, values: dict[str, Any]) -> None:
    if "tags" in values:
        await ContentTag.filter(content_id=item.id).delete()
        tags = [await tag_named(name) for name in values["tags"]]
        if tags:
            await ContentTag.bulk_create([ContentTag(content_id=item.id, tag_id=t.id) for t in tags])
    if "media_ids" in values:
        await ContentMedia.filter(content_id=item.id).delete()
        if values["media_ids"]:
            await ContentMedia.bulk_create(
                [ContentMedia(content_id=item.id, media_id=m, position=i) for i, m in enumerate(values["media_ids"])]
            )


async def tags() -> list[Tag]:
    """Every tag, by name (tags are public)."""
    return await Tag.all().order_by("name")


async def get_tag(pk: int) -> Tag | None:
    return await Tag.get_or_none(id=pk)


async def tag_named(name: str) -> Tag:
    """The tag with this name, created on first use."""
    existing = await Tag.get_or_none(name=name)
    if existing:
        return existing
    base = slugify(name)
    slug, n = base, 2
    while await Tag.exists(slug=slug):
        slug, n = f"{base}-{n}", n + 1
    return await Tag.create(name=name, slug=slug)


def clean_tag_name(name: str) -> str:
    """A tag name as stored: inner whitespace collapsed, ends trimmed."""
    return " ".join(name.split())


async def version_of(item: ContentItem) -> dict[str, Any]:
    """The editable version an editor sees: the pending edit when there is one, else the columns."""
    if item.pending:
        return dict(item.pending)
    version: dict[str, Any] = {k: getattr(item, k) for k in SCALAR_FIELDS}
    version["tags"] = [
        link.tag.name for link in await ContentTag.filter(content_id=item.id).select_related("tag").order_by("id")
    ]
    version["media_ids"] = list(
        await ContentMedia.filter(content_id=item.id).order_by("position").values_list("media_id", flat=True)
    )
    return version


async def update(actor: Actor, content_type: ContentType, pk: int, given: dict[str, Any]) -> ContentItem:
    """Save an edit; on a PUBLISHED item it waits as a pending revision until published."""
    permissions.require_role(actor, permissions.can_edit_content(actor), "Only editors can write content.")
    item = await _locked(content_type, pk)
    values = await _validate(given, content_type)
    before = await version_of(item)
    if values.get("slug") is None:
        values.pop("slug", None)
    changed = [k for k in VERSION_FIELDS if k in values and values[k] != before.get(k)]
    if item.status == PUBLISHED:
        for name in values.get("tags") or []:
            await tag_named(name)  # created on first use, so a preview can show them
        item.pending = {
            **before,
            **{k: values[k] for k in VERSION_FIELDS if k in values},
        }
        await item.save(update_fields=["pending", "updated_at"])
    else:
        _apply_scalars(item, values)
        try:
            await item.save()
        except IntegrityError:
            raise Conflict("That slug is taken in this locale.", field="patch.slug") from None
        await _set_relations(item, values)
        await search.index_item(item)
    await _revision(item, actor, "UPDATED", changed, before)
    return item


async def _locked(content_type: ContentType, pk: int) -> ContentItem:
    qs = ContentItem.filter(id=pk, content_type=content_type)
    if not sql.is_sqlite():
        qs = qs.select_for_update()
    item = await qs.first()
    if item is None:
        raise NotFound("No such item.", field="id")
    return item


async def _revision(
    item: ContentItem,
    actor: Actor | None,
    action: str,
    changed: list[str],
    before: dict[str, Any],
) -> int:
    """Record the version before a save; returns the new revision's number."""
    number = await ContentRevision.filter(content_id=item.id).count() + 1
    await ContentRevision.create(
        content_id=item.id,
        number=number,
        action=action,
        changed_fields=changed,
        snapshot=_jsonable(before),
        editor_id=actor.user_id if actor else None,
    )
    return number


def _jsonable(version: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.value if hasattr(v, "value") else v) for k, v in version.items()}


async def set_status(actor: Actor | None, content_type: ContentType, pk: int, status: PublicationStatus) -> ContentItem:
    """Move an item through the workflow; publishing applies a pending edit. actor None: the scheduler."""
    if actor is not None:
        permissions.require_role(
            actor,
            permissions.can_edit_content(actor),
            "Only editors can change publication status.",
        )
    item = await _locked(content_type, pk)
    status = PublicationStatus(status)
    if status not in TRANSITIONS[PublicationStatus(item.status)]:
        raise Invalid(f"{a_or_an(item.status.value, capital=True)} item cannot become {status.value}.", field="status")
    before = await version_of(item)
    was_public = item.status == PUBLISHED
    if status == PUBLISHED:
        await accessibility_gate(before)
        if item.pending:
            _apply_scalars(item, item.pending)
            await _set_relations(item, item.pending)
            item.pending = None
        if item.published_at is None:
            item.published_at = datetime.now(UTC)
    elif item.pending:
        _apply_scalars(item, item.pending)  # leaving PUBLISHED: the latest edit becomes the working copy
        await _set_relations(item, item.pending)
        item.pending = None
    item.status = status
    await item.save()
    await search.index_item(item)
    version = await _revision(
        item,
        actor,
        status.value,
        ["status"],
        {**before, "status": PublicationStatus(item.status).value},
    )
    if was_public or status == PUBLISHED:
        await log_change(item)
    event = integration_events.content_event(was_public, status.value)
    if event is not None:
        await integration_events.content_changed(
            event,
            content_type=ContentType(item.content_type).value,
            pk=item.id,
            slug=item.slug,
            locale=item.locale,
            version=version,
        )
    return item


async def accessibility_gate(version: dict[str, Any]) -> None:
    """Refuse publication while an image lacks alt text or audio/video lacks a transcript, naming each."""
    ids = [version["cover_image_id"]] if version.get("cover_image_id") else []
    ids += list(version.get("media_ids") or [])
    problems: list[Invalid] = []
    for asset in await MediaAsset.filter(id__in=ids).order_by("id") if ids else []:
        label = asset.title or f"media {asset.id}"
        if asset.kind == MediaKind.IMAGE and not (asset.alt_text or "").strip():
            problems.append(
                Invalid(
                    f"Image “{label}” needs alt text before publishing.",
                    field=f"media.{asset.id}.altText",
                )
            )
        if asset.kind in (MediaKind.AUDIO, MediaKind.VIDEO) and not (asset.transcript or "").strip():
            problems.append(
                Invalid(
                    f"{asset.kind.value.title()} “{label}” needs a transcript before publishing.",
                    field=f"media.{asset.id}.transcript",
                )
            )
    if problems:
        raise InvalidMany(list(problems)) if len(problems) > 1 else problems[0]


MAX_PREVIEW_CHARS = 200_000


def preview_markdown(actor: Actor, markdown: str) -> str:
    """Markdown rendered by the same sanitiser as bodyHtml (for an editor's live preview)."""
    permissions.require_role(actor, actor.is_user and permissions.is_staff(actor), "Only staff can preview Markdown.")
    if len(markdown) > MAX_PREVIEW_CHARS:
        raise TooLarge(f"Preview at most {MAX_PREVIEW_CHARS:,} characters at a time.", field="markdown")
    return render_markdown(markdown)


def published_version(item: ContentItem) -> dict[str, Any]:
    """The published columns of an item that has a pending edit (tags and media come from loaders)."""
    return {k: getattr(item, k) for k in SCALAR_FIELDS if hasattr(item, k)}


async def log_change(item: ContentItem) -> None:
    """Append to the change sequence in this transaction (in commit order on PostgreSQL)."""
    if not sql.is_sqlite():
        await connections.get("default").execute_query(f"SELECT pg_advisory_xact_lock({_CHANGE_LOCK})")
    await ContentChange.create(content_id=item.id, content_type=item.content_type)


async def schedule(
    actor: Actor,
    content_type: ContentType,
    pk: int,
    publish_at: datetime | None,
    unpublish_at: datetime | None,
) -> ContentItem:
    """Set (or clear, with null) when an item is published and unpublished without anyone calling."""
    permissions.require_role(actor, permissions.can_edit_content(actor), "Only editors can schedule content.")
    item = await _locked(content_type, pk)
    now = datetime.now(UTC)
    if publish_at is not None and publish_at <= now:
        raise Invalid("Schedule publication in the future.", field="publishAt")
    if unpublish_at is not None and (unpublish_at <= now or (publish_at and unpublish_at <= publish_at)):
        raise Invalid(
            "Unpublication must come later than now and than publication.",
            field="unpublishAt",
        )
    if publish_at is not None:
        await accessibility_gate(await version_of(item))
    item.publish_at, item.unpublish_at = publish_at, unpublish_at
    await item.save(update_fields=["publish_at", "unpublish_at", "updated_at"])
    return item


async def revisions(actor: Actor, pk: int) -> list[ContentRevision]:
    """An item's history, newest first (editors only; others get nothing)."""
    if not permissions.can_see_unpublished_content(actor):
        return []
    return await ContentRevision.filter(content_id=pk).select_related("editor").order_by("-number")
