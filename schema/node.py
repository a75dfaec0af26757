"""node(id:): resolves any global ID through the owning domain's permission-checked getter."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

import strawberry

from schema.context import Info
from schema.errors import MalformedId
from schema.relay import Node, parse_global_id

NodeResolver = Callable[[Info, int], Awaitable[Any]]

# Type name -> getter returning the GraphQL object, or None when missing or not visible.
_RESOLVERS: dict[str, NodeResolver] = {}
R = TypeVar("R", bound=NodeResolver)


def register_node(type_name: str) -> Callable[[R], R]:
    """Register how to fetch one type by pk for node(id:)."""

    def decorate(resolver: R) -> R:
        _RESOLVERS[type_name] = resolver
        return resolver

    return decorate


async def resolve_node(info: Info, global_id: str) -> Node | None:
    """The object, or None when missing or not visible; a malformed ID is BAD_REQUEST (MalformedId)."""
    parsed = parse_global_id(global_id)
    if parsed is None:
        raise MalformedId("Not an ID this server gave out.", field="id")
    resolver = _RESOLVERS.get(parsed[0])
    return await resolver(info, parsed[1]) if resolver else None


@strawberry.type
class NodeQuery:
    @strawberry.field(
        description=(
            "Any object by its global ID; null when missing or not visible to the caller. "
            "An ID this server never gave out is a BAD_REQUEST error."
        )
    )
    async def node(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="A global ID from any object's `id` field.")],
    ) -> Node | None:
        return await resolve_node(info, id)
