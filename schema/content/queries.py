"""Content queries and node(id:) getters."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

import locales
from models import content as models
from resolvers import permissions
from resolvers.content import items, sync
from resolvers.content import media as media_service
from resolvers.content.items import ContentFilter
from resolvers.listing import Listing
from schema.content.inputs import LessonFilter, StoryFilter
from schema.content.prefetch import connection_node_fields, prefetch
from schema.content.types import (
    Content,
    ContentOrder,
    ContentSync,
    Lesson,
    MediaAsset,
    MediaKind,
    Story,
    Tag,
)
from schema.context import Info
from schema.errors import BadRequest
from schema.node import register_node
from schema.relay import (
    After,
    Before,
    Connection,
    First,
    Last,
    PageArgs,
    decode_id,
    paginate,
    paginate_listing,
    to_global_id,
)
from schema.shared import Audience


def _filter(info: Info, given: LessonFilter | StoryFilter | None) -> ContentFilter:
    flt = (
        ContentFilter()
        if given is None
        else ContentFilter(**{k: v for k, v in vars(given).items() if v is not strawberry.UNSET})
    )
    flt.wanted = _wanted(info, flt.locale, flt.all_locales)
    return flt


def _wanted(info: Info, locale: str | None, all_locales: bool) -> str | None:
    """The locale a list, search or sync answers in (locales.py: the argument, else Accept-Language); None for every locale."""
    return None if all_locales else locales.wanted(locale, info.context.accept_language)


def _lesson_or_story(info: Info, wanted: str | None) -> Any:
    """wrap_content for a list in one locale: a lesson served in another locale than the wanted one says isFallback."""
    editor = _editor(info)

    def wrap(item: Any) -> Lesson | Story:
        preview = _preview(info, item)
        if item.content_type == models.ContentType.LESSON:
            return Lesson.from_model(item, preview=preview, fallback=_is_fallback(item, wanted), editor=editor)
        return Story.from_model(item, preview=preview, editor=editor)

    return wrap


def _is_fallback(item: Any, wanted: str | None) -> bool:
    return wanted is not None and str(item.locale).lower() != wanted.lower()


def _editor(info: Info) -> bool:
    return permissions.can_see_unpublished_content(info.context.actor)


def _preview(info: Info, item: Any) -> bool:
    """Whether the caller reads this item's working version: editors, or a preview token in its scope."""
    return permissions.sees_working_version(info.context.actor, item)


async def _list(
    info: Info, content_type: Any, filter: Any, order_by: ContentOrder | None, page: Any
) -> Connection[Any]:
    """One page of lessons or stories the caller may see."""
    flt = _filter(info, filter)
    listing = items.list_items(info.context.actor, content_type, flt, order_by.value if order_by else None)
    return await _content_page(info, page, listing, _lesson_or_story(info, flt.wanted))


async def _content_page(info: Info, page: PageArgs, listing: Listing[Any], wrap: Any) -> Connection[Any]:
    """paginate() over a content listing, with the relations its nodes select loaded for the whole page."""
    connection = await paginate(page, listing.fetch, listing.count, wrap)
    await prefetch([e.node for e in connection.edges], connection_node_fields(info))
    return connection


async def _one(
    info: Info, content_type: Any, type_name: str, id: strawberry.ID | None, slug: str | None, locale: str | None
) -> tuple[Any, bool]:
    """A lesson or story by global ID or by slug (with locale fallback); (None, False) when not visible.

    Asking with neither is a BAD_REQUEST (it used to answer null, as if nothing matched), and so is
    an ID and a slug that name different items: the caller cannot have meant both.
    """
    noun = type_name.lower()
    if id is None and slug is None:
        raise BadRequest(f"Give the {noun}'s id or its slug.")
    if id is None:
        return await items.get_by_slug(info.context.actor, content_type, slug or "", locale)
    item = await items.get(info.context.actor, content_type, decode_id(id, type_name, field="id"))
    if item is not None and slug is not None and item.slug != slug:
        raise BadRequest(f"The id and the slug name different {noun}s; give one of them.")
    return item, False


@strawberry.type
class ContentQuery:
    @strawberry.field(
        description=(
            "Lessons of the cloud classroom, one per work in the wanted locale (filter.locale, else "
            "Accept-Language, else zh-CN; a work without that translation answers its original, isFallback "
            "true) unless filter.allLocales; PUBLISHED only unless the caller is an editor."
        )
    )
    async def lessons(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[
            LessonFilter | None,
            strawberry.argument(
                description=(
                    "Narrow by shelf, audience, tag, text, update time or (editors) status; choose the locale "
                    "(one lesson per work by default) or ask for every locale."
                )
            ),
        ] = None,
        order_by: Annotated[
            ContentOrder | None, strawberry.argument(description="Sort order (default NEWEST).")
        ] = None,
    ) -> Connection[Lesson]:
        return await _list(info, models.ContentType.LESSON, filter, order_by, PageArgs(first, after, last, before))

    @strawberry.field(
        description=(
            "One lesson by ID or slug; with locale, its translation there, else the zh-CN original. "
            "Null when missing or not visible; BAD_REQUEST with neither argument, with both naming different "
            "lessons, or with an ID this server never gave out."
        )
    )
    async def lesson(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="Global ID of the lesson; give it or the slug (both only when they name the same lesson)."
            ),
        ] = None,
        slug: Annotated[
            str | None,
            strawberry.argument(description="The lesson's slug (shared by its translations); give it or the id."),
        ] = None,
        locale: Annotated[
            str | None,
            strawberry.argument(
                description="Wanted BCP 47 locale, e.g. en; falls back to the original (isFallback tells)."
            ),
        ] = None,
    ) -> Lesson | None:
        item, fallback = await _one(info, models.ContentType.LESSON, "Lesson", id, slug, locale)
        if item is None:
            return None
        return Lesson.from_model(item, preview=_preview(info, item), fallback=fallback, editor=_editor(info))

    @strawberry.field(
        description=(
            "Stories, one per work in the wanted locale (filter.locale, else Accept-Language, else zh-CN; "
            "else the original) unless filter.allLocales; PUBLISHED only unless the caller is an editor."
        )
    )
    async def stories(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[
            StoryFilter | None,
            strawberry.argument(
                description=(
                    "Narrow by kind, audience, tag, text, update time or (editors) status; choose the locale "
                    "(one story per work by default) or ask for every locale."
                )
            ),
        ] = None,
        order_by: Annotated[
            ContentOrder | None, strawberry.argument(description="Sort order (default NEWEST).")
        ] = None,
    ) -> Connection[Story]:
        return await _list(info, models.ContentType.STORY, filter, order_by, PageArgs(first, after, last, before))

    @strawberry.field(
        description=(
            "One story by ID or slug (and locale). Null when missing or not visible; BAD_REQUEST with neither "
            "argument, with both naming different stories, or with an ID this server never gave out."
        )
    )
    async def story(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="Global ID of the story; give it or the slug (both only when they name the same story)."
            ),
        ] = None,
        slug: Annotated[
            str | None,
            strawberry.argument(description="The story's slug (shared by its translations); give it or the id."),
        ] = None,
        locale: Annotated[
            str | None,
            strawberry.argument(
                description="With slug: the wanted BCP 47 locale, e.g. en; else its translation there, else the original."
            ),
        ] = None,
    ) -> Story | None:
        item, _ = await _one(info, models.ContentType.STORY, "Story", id, slug, locale)
        return Story.from_model(item, preview=_preview(info, item), editor=_editor(info)) if item else None

    @strawberry.field(
        description=(
            "Lessons and stories matching a full-text query (Chinese included), title hits first; one item per "
            "work in the wanted locale (locale, else Accept-Language, else zh-CN) unless allLocales."
        )
    )
    async def search(
        self,
        info: Info,
        query: Annotated[str, strawberry.argument(description="The words to find, at most 100 characters.")],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        locale: Annotated[
            str | None,
            strawberry.argument(
                description=(
                    "The BCP 47 locale to answer in, e.g. en: each work's translation there, else its original "
                    "(overrides Accept-Language). With allLocales: only content written in exactly this locale."
                )
            ),
        ] = None,
        audience: Annotated[
            Audience | None, strawberry.argument(description="Only content written for this audience.")
        ] = None,
        all_locales: Annotated[
            bool,
            strawberry.argument(
                description="True: every matching item of every locale, mixed, as search answered before."
            ),
        ] = False,
    ) -> Connection[Content]:
        wanted = _wanted(info, locale, all_locales)
        listing = items.search_items(
            info.context.actor, query, locale=locale, audience=audience, all_locales=all_locales, wanted=wanted
        )
        return await _content_page(info, PageArgs(first, after, last, before), listing, _lesson_or_story(info, wanted))

    @strawberry.field(description="Every tag, by name.")
    async def tags(self) -> list[Tag]:
        return [Tag.from_model(t) for t in await items.tags()]

    @strawberry.field(
        description=(
            "Published content changed since the token, and IDs that stopped being public; page until hasMore is "
            "false. One item per work in the wanted locale (locale, else Accept-Language, else zh-CN; else the "
            "original), the work's other items among deletedIds, unless allLocales. Keep the same locale "
            "arguments for a token's whole life; to change them, start again without a token."
        )
    )
    async def sync_content(
        self,
        info: Info,
        sync_token: Annotated[
            str | None,
            strawberry.argument(
                description=(
                    "The nextSyncToken of the previous page; omit to start from the beginning. Tokens never "
                    "expire; one this server never gave out is BAD_REQUEST."
                )
            ),
        ] = None,
        first: Annotated[
            int | None,
            strawberry.argument(
                description="Changed works (or items, with allLocales) per page, 1 to 100 (default 50); "
                "outside that range BAD_REQUEST (never clamped), and with it the whole answer's data is null."
            ),
        ] = None,
        locale: Annotated[
            str | None,
            strawberry.argument(
                description="The BCP 47 locale to answer in, e.g. en (overrides Accept-Language); ignored with allLocales."
            ),
        ] = None,
        all_locales: Annotated[
            bool,
            strawberry.argument(
                description="True: every changed item of every locale, mixed, as sync answered before."
            ),
        ] = False,
    ) -> ContentSync:
        wanted = _wanted(info, locale, all_locales)
        try:
            page = await sync.sync_page(sync_token, first, wanted)
        except sync.BadSyncArgument as error:
            raise BadRequest(error.message) from None  # the request's fault, as a malformed ID in a query
        wrap = _lesson_or_story(info, wanted)
        return ContentSync(
            items=[wrap(i) for i in page.items],
            deleted_ids=[
                to_global_id("Lesson" if t == models.ContentType.LESSON else "Story", pk) for t, pk in page.deleted
            ],
            next_sync_token=page.next_token,
            has_more=page.has_more,
        )

    @strawberry.field(
        description=(
            "Staff: Markdown rendered to HTML by the same sanitiser as bodyHtml, for a live preview (at most "
            "200,000 characters). Anyone else: null with UNAUTHENTICATED (signed out) or FORBIDDEN."
        )
    )
    def render_markdown(
        self,
        info: Info,
        markdown: Annotated[str, strawberry.argument(description="Markdown source, at most 200,000 characters.")],
    ) -> str | None:
        return items.preview_markdown(info.context.actor, markdown)

    @strawberry.field(
        description=(
            "Editors and admins: every public media asset, newest first. Anyone else: null with "
            "UNAUTHENTICATED (signed out) or FORBIDDEN."
        )
    )
    async def media_library(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        kind: Annotated[MediaKind | None, strawberry.argument(description="Only assets of this kind.")] = None,
    ) -> Connection[MediaAsset] | None:
        qs = media_service.list_assets(info.context.actor, kind)
        return await paginate_listing(PageArgs(first, after, last, before), qs, MediaAsset.from_model)

    @strawberry.field(
        description="Editors and admins: every public media asset, newest first; an empty list for anyone else.",
        deprecation_reason=(
            "Use mediaLibrary: it tells a caller who may not list media so (FORBIDDEN) instead of an empty list. "
            "This field is non-null, so an error here would wipe the whole response."
        ),
    )
    async def media_assets(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        kind: Annotated[MediaKind | None, strawberry.argument(description="Only assets of this kind.")] = None,
    ) -> Connection[MediaAsset]:
        qs = media_service.list_assets(info.context.actor, kind, gated=False)
        return await paginate_listing(PageArgs(first, after, last, before), qs, MediaAsset.from_model)


@register_node("Lesson")
async def lesson_node(info: Info, pk: int) -> Lesson | None:
    item = await items.get(info.context.actor, models.ContentType.LESSON, pk)
    return Lesson.from_model(item, preview=_preview(info, item), editor=_editor(info)) if item else None


@register_node("Story")
async def story_node(info: Info, pk: int) -> Story | None:
    item = await items.get(info.context.actor, models.ContentType.STORY, pk)
    return Story.from_model(item, preview=_preview(info, item), editor=_editor(info)) if item else None


@register_node("MediaAsset")
async def media_node(info: Info, pk: int) -> MediaAsset | None:
    asset = await media_service.get(info.context.actor, pk)
    return MediaAsset.from_model(asset) if asset else None


@register_node("Tag")
async def tag_node(info: Info, pk: int) -> Tag | None:
    tag = await items.get_tag(pk)
    return Tag.from_model(tag) if tag else None
