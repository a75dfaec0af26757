"""Look-ahead for content lists: load a page's tags, covers and media before graphql-core walks it.

Without it each of those fields answers with a DataLoader future per item: an LMS page of 20
lessons makes 60 futures, 60 awaited resolvers and a gather per item, which the bench profile
showed cost more than the SQL itself. The list resolver reads which of those fields the query
selects on its nodes (through fragments too), loads each relation for the whole page with the
same one statement per relation the loaders run, and leaves the results on the nodes; the item
fields then answer synchronously and graphql-core completes the page on its synchronous path.
Items with a pending edit shown to an editor keep the loader path (their relations may differ
from the published ones), and so does every item reached any other way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection

from resolvers.content import loaders

if TYPE_CHECKING:
    from schema.content.types import Content
    from schema.context import Info

PREFETCHABLE = frozenset({"tags", "coverImage", "media"})


def _fields(selections: Iterable[Selection]) -> Iterable[SelectedField]:
    """The fields of a selection set, fragments flattened."""
    for selection in selections:
        if isinstance(selection, SelectedField):
            yield selection
        elif isinstance(selection, (FragmentSpread, InlineFragment)):
            yield from _fields(selection.selections)


def connection_node_fields(info: Info) -> set[str]:
    """Names selected on `edges { node { … } }` of the connection the current field returns."""
    names: set[str] = set()
    for connection in info.selected_fields:
        for edges in _fields(connection.selections):
            if edges.name != "edges":
                continue
            for node in _fields(edges.selections):
                if node.name == "node":
                    names.update(f.name for f in _fields(node.selections))
    return names


def list_item_fields(info: Info) -> set[str]:
    """Names selected on the items of a field that returns a plain list of content."""
    return {f.name for selected in info.selected_fields for f in _fields(selected.selections)}


async def prefetch(nodes: Sequence[Content], selected: set[str]) -> None:
    """Load the selected relations of these items for the whole page at once."""
    from schema.content.types import MediaAsset, Tag

    wanted = selected & PREFETCHABLE
    plain = [n for n in nodes if not n.shows_pending_edit]
    if not wanted or not plain:
        return
    pks = [n.pk for n in plain]
    if "tags" in wanted:
        for node, tags in zip(plain, await loaders.tags_by_content_id(pks)):
            node.prefetched["tags"] = [Tag.from_model(t) for t in tags]
    if "media" in wanted:
        for node, assets in zip(plain, await loaders.media_by_content_id(pks)):
            node.prefetched["media"] = [MediaAsset.from_model(m) for m in assets]
    if "coverImage" in wanted:
        cover_ids = list({n.model.cover_image_id for n in plain if n.model.cover_image_id})
        found: dict[Any, Any] = dict(zip(cover_ids, await loaders.media_by_id(cover_ids))) if cover_ids else {}
        for node in plain:
            asset = found.get(node.model.cover_image_id)
            node.prefetched["coverImage"] = MediaAsset.from_model(asset) if asset else None
