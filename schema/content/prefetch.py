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

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionSetNode,
)

from resolvers.content import loaders

if TYPE_CHECKING:
    from schema.content.types import Content
    from schema.context import Info

PREFETCHABLE = frozenset({"tags", "coverImage", "media"})


def _fields(
    selection_set: SelectionSetNode | None, fragments: Mapping[str, FragmentDefinitionNode]
) -> Iterator[FieldNode]:
    """The fields of a selection set, fragments flattened (directives ignored: at worst a relation is loaded unused)."""
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _fields(selection.selection_set, fragments)
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value in fragments:
            yield from _fields(fragments[selection.name.value].selection_set, fragments)


def connection_node_fields(info: Info) -> set[str]:
    """Names selected on `edges { node { … } }` of the connection the current field returns.

    Reads graphql-core's document directly: strawberry's `info.selected_fields` converts every
    argument of the whole selection on the way, which cost 7% of an uncached page.
    """
    raw = info._raw_info
    names: set[str] = set()
    for connection in raw.field_nodes:
        for edges in _fields(connection.selection_set, raw.fragments):
            if edges.name.value != "edges":
                continue
            for node in _fields(edges.selection_set, raw.fragments):
                if node.name.value == "node":
                    names.update(f.name.value for f in _fields(node.selection_set, raw.fragments))
    return names


async def prefetch(nodes: Sequence[Content], selected: set[str]) -> None:
    """Load the selected relations of these items for the whole page at once."""
    from schema.content.types import MediaAsset, Tag

    wanted = selected & PREFETCHABLE
    plain = [n for n in nodes if not n.shows_pending_edit]
    if not wanted or not plain:
        return
    pks = [n.pk for n in plain]
    # One GraphQL object per tag or asset on the page, however many items share it.
    tag = _one_per_id(Tag.from_model)
    asset = _one_per_id(MediaAsset.from_model)

    if "tags" in wanted:
        for node, tags in zip(plain, await loaders.tags_by_content_id(pks), strict=True):
            node.prefetched["tags"] = [tag(t) for t in tags]
    if "media" in wanted:
        for node, assets in zip(plain, await loaders.media_by_content_id(pks), strict=True):
            node.prefetched["media"] = [asset(m) for m in assets]
    if "coverImage" in wanted:
        cover_ids = list({n.model.cover_image_id for n in plain if n.model.cover_image_id})
        found: dict[Any, Any] = (
            dict(zip(cover_ids, await loaders.media_by_id(cover_ids), strict=True)) if cover_ids else {}
        )
        for node in plain:
            row = found.get(node.model.cover_image_id)
            node.prefetched["coverImage"] = asset(row) if row else None


def _one_per_id(build: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """build(row), made once per row id."""
    made: dict[int, Any] = {}

    def one(row: Any) -> Any:
        found = made.get(row.id)
        if found is None:
            found = made[row.id] = build(row)
        return found

    return one
