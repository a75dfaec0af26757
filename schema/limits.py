"""Request limits that walk a document once: depth, aliases, directives, and a cost budget.

Strawberry's QueryDepthLimiter and MaxAliasesLimiter re-walk a fragment at every spread, so a
1 KB document of fragments that each spread the previous one twice costs 2^n steps of CPU in
validation (which blocks the event loop). Here each fragment is measured once and its numbers
are reused at every spread, so the walk is linear in the document's size while the counts
still include every spread (aliases and directives reached through fragments count each time).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    VariableNode,
)
from strawberry.extensions import SchemaExtension

DEFAULT_PAGE_SIZE = 20
PAGE_ARGUMENTS = ("first", "last")


@dataclass(frozen=True)
class Shape:
    """What one selection set amounts to: levels below it, aliases and directives in it."""

    height: int = 0
    aliases: int = 0
    directives: int = 0

    def __add__(self, other: Shape) -> Shape:
        return Shape(
            max(self.height, other.height),
            self.aliases + other.aliases,
            self.directives + other.directives,
        )


_IN_PROGRESS = Shape()


class _ShapeWalker:
    """Measures selection sets, each named fragment once (cycles count as nothing)."""

    def __init__(self, fragments: Mapping[str, FragmentDefinitionNode]) -> None:
        self.fragments = fragments
        self.memo: dict[str, Shape] = {}

    def fragment(self, name: str) -> Shape:
        if name in self.memo:
            return self.memo[name]
        definition = self.fragments.get(name)
        if definition is None:
            return Shape()  # KnownFragmentNamesRule reports it
        self.memo[name] = _IN_PROGRESS  # NoFragmentCyclesRule reports cycles
        shape = self.selection_set(definition.selection_set)
        shape = Shape(
            shape.height,
            shape.aliases,
            shape.directives + len(definition.directives or ()),
        )
        self.memo[name] = shape
        return shape

    def selection_set(self, selection_set: SelectionSetNode | None) -> Shape:
        total = Shape()
        for selection in selection_set.selections if selection_set else ():
            directives = len(selection.directives or ())
            if isinstance(selection, FieldNode):
                below = Shape()
                if selection.selection_set and not selection.name.value.startswith("__"):
                    inner = self.selection_set(selection.selection_set)
                    below = Shape(inner.height + 1, inner.aliases, inner.directives)
                total += Shape(
                    below.height,
                    below.aliases + (1 if selection.alias else 0),
                    below.directives + directives,
                )
            elif isinstance(selection, InlineFragmentNode):
                inner = self.selection_set(selection.selection_set)
                total += Shape(inner.height, inner.aliases, inner.directives + directives)
            elif isinstance(selection, FragmentSpreadNode):
                inner = self.fragment(selection.name.value)
                total += Shape(inner.height, inner.aliases, inner.directives + directives)
        return total


def _operations(document: DocumentNode) -> Iterator[OperationDefinitionNode]:
    return (d for d in document.definitions if isinstance(d, OperationDefinitionNode))


def _fragments(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def document_limits_rule(*, max_depth: int, max_aliases: int, max_directives: int) -> type[ValidationRule]:
    """A validation rule refusing operations deeper, or with more aliases or directives, than allowed."""

    class DocumentLimits(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            document = context.document
            walker = _ShapeWalker(_fragments(document))
            for operation in _operations(document):
                name = operation.name.value if operation.name else "anonymous"
                shape = walker.selection_set(operation.selection_set)
                directives = (
                    shape.directives
                    + len(operation.directives or ())
                    + sum(len(v.directives or ()) for v in operation.variable_definitions or ())
                )
                if shape.height > max_depth:
                    context.report_error(
                        GraphQLError(
                            f"'{name}' exceeds maximum operation depth of {max_depth}",
                            operation,
                        )
                    )
                if shape.aliases > max_aliases:
                    context.report_error(
                        GraphQLError(
                            f"{shape.aliases} aliases found. Allowed: {max_aliases}",
                            operation,
                        )
                    )
                if directives > max_directives:
                    context.report_error(
                        GraphQLError(
                            f"{directives} directives found. Allowed: {max_directives}",
                            operation,
                        )
                    )

    return DocumentLimits


class _CostWalker:
    """Cost of a selection: one per field, a list field's selection counted once per item asked for."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.memo: dict[str, int] = {}

    def fragment(self, name: str) -> int:
        if name in self.memo:
            return self.memo[name]
        definition = self.fragments.get(name)
        if definition is None:
            return 0
        self.memo[name] = 0
        cost = self.selection_set(
            definition.selection_set,
            self.schema.get_type(definition.type_condition.name.value),
        )
        self.memo[name] = cost
        return cost

    def selection_set(self, selection_set: SelectionSetNode | None, parent: GraphQLNamedType | None) -> int:
        cost = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                cost += self.field(selection, parent)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                cost += self.selection_set(
                    selection.selection_set,
                    self.schema.get_type(condition.name.value) if condition else parent,
                )
            elif isinstance(selection, FragmentSpreadNode):
                cost += self.fragment(selection.name.value)
        return cost

    def field(self, node: FieldNode, parent: GraphQLNamedType | None) -> int:
        name = node.name.value
        if name.startswith("__") or not isinstance(parent, (GraphQLObjectType, GraphQLInterfaceType)):
            return 1  # introspection is bounded by the schema's size; unknown fields fail validation
        definition = parent.fields.get(name)
        if definition is None:
            return 1
        field_type, is_list = definition.type, False
        while isinstance(field_type, (GraphQLNonNull, GraphQLList)):
            is_list = is_list or isinstance(field_type, GraphQLList)
            field_type = field_type.of_type
        if not node.selection_set:
            return 1
        children = self.selection_set(node.selection_set, field_type)
        return 1 + self.multiplier(node, definition.args, is_list, parent) * children

    def multiplier(
        self,
        node: FieldNode,
        arguments: Mapping[str, Any],
        is_list: bool,
        parent: GraphQLNamedType,
    ) -> int:
        if any(a in arguments for a in PAGE_ARGUMENTS):
            asked = [self.argument(node, a) for a in PAGE_ARGUMENTS]
            given = [a for a in asked if a is not None]
            return max(given) if given else DEFAULT_PAGE_SIZE
        if is_list and not parent.name.endswith("Connection"):
            return DEFAULT_PAGE_SIZE  # a plain list; a connection's edges were counted at the connection
        return 1

    def argument(self, node: FieldNode, name: str) -> int | None:
        for argument in node.arguments or ():
            if argument.name.value != name:
                continue
            value = argument.value
            if isinstance(value, IntValueNode):
                return max(int(value.value), 0)
            if isinstance(value, VariableNode):
                given = self.variables.get(value.name.value)
                return max(given, 0) if isinstance(given, int) else None
        return None


def operation_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
) -> int:
    """The cost of the operation a request will run (the only one, or the named one)."""
    walker = _CostWalker(schema, _fragments(document), variables or {})
    costs = [
        walker.selection_set(op.selection_set, schema.get_root_type(op.operation))
        for op in _operations(document)
        if operation_name is None or (op.name and op.name.value == operation_name)
    ]
    return max(costs, default=0)


class CostBudget(SchemaExtension):
    """Refuse an operation whose cost (lists multiplied by their page size) is over the budget."""

    def __init__(self, *, budget: int) -> None:
        self.budget = budget

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and not context.result:
            cost = operation_cost(
                context.schema._schema,
                document,
                context.operation_name,
                context.variables,
            )
            if cost > self.budget:
                message = (
                    f"Query cost {cost} exceeds the budget of {self.budget} "
                    f"(a list counts its selection once per item asked for: first/last, {DEFAULT_PAGE_SIZE} by default)."
                )
                context.result = ExecutionResult(data=None, errors=[GraphQLError(message)])
        yield
