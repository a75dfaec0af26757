"""A leaner graphql-core execution step for fields that only read an attribute.

Most values on a page are leaves (scalars and enums) whose strawberry field has no resolver:
the value is an attribute of the parent object. graphql-core still builds a resolve-info
object, an argument dict, two awaitable checks and strawberry's three nested default-resolver
calls for each of them, and that per-field work was the largest share of the uncached
lessons page in the bench profile (docs/performance.md). For those fields this execution
context reads the attribute and coerces it for output directly. Anything that is not the
plain case (an argument, a null for a non-null field, a value that does not coerce, an
exception, a field middleware) goes through graphql-core's own execute_field, so results and
errors are exactly what they would have been.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLNonNull, GraphQLObjectType, GraphQLSchema, is_leaf_type
from graphql.pyutils import Undefined
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter

_MARK = "beacon_plain_leaf"


def mark_plain_leaves(schema: GraphQLSchema) -> int:
    """Mark every argument-free leaf field that strawberry resolves by attribute; returns how many."""
    marked = 0
    for type_ in schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__"):
            continue
        for field in type_.fields.values():
            definition = (field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
            if definition is None or field.args or not definition.is_basic_field:
                continue
            nullable = not isinstance(field.type, GraphQLNonNull)
            leaf = field.type if nullable else field.type.of_type
            if is_leaf_type(leaf):
                setattr(field, _MARK, (definition.python_name, leaf, nullable))
                marked += 1
    return marked


class LeanExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's execution, with plain attribute leaves read and coerced in one step."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        manager = self.middleware_manager
        self.lean = not (manager is not None and manager.middlewares)

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Any,
        position_context: Any,
    ) -> Any:
        node = field_details_list[0].node
        field_def = self.schema.get_field(parent_type, node.name.value)
        plain = getattr(field_def, _MARK, None) if field_def is not None else None
        if plain is not None and self.lean and not node.arguments:
            name, leaf, nullable = plain
            try:
                value = getattr(source, name)
                if value is None:
                    if nullable:
                        return None
                else:
                    coerced = leaf.coerce_output_value(value)
                    if coerced is not Undefined and coerced is not None:
                        return coerced
            except Exception:  # noqa: BLE001, S110 - graphql-core's own path below reports it properly
                pass
        return super().execute_field(parent_type, source, field_details_list, path, position_context)
