"""Request limits that walk a document once: size, merging, depth, aliases, directives, and cost.

Strawberry's QueryDepthLimiter and MaxAliasesLimiter re-walk a fragment at every spread, so a
1 KB document of fragments that each spread the previous one twice costs 2^n steps of CPU in
validation (which blocks the event loop). Here each fragment is measured once and its numbers
are reused at every spread, so the walk is linear in the document's size while the counts
still include every spread (aliases and directives reached through fragments count each time).

graphql-core's OverlappingFieldsCanBeMergedRule compares every pair of fields that share a
response name, and again for their sub-selections, so a 20 KB document repeating one field
900 times took seconds to validate (issue 11.2). `merge_limits_errors` refuses such documents
before graphql-core's validation runs, in a walk whose steps are bounded (`DocumentBudget`),
and `BoundedOverlappingFields` caps the rule's own work meter as a backstop.
"""

from __future__ import annotations

import functools
from collections import deque
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
    StringValueNode,
    ValidationContext,
    ValidationRule,
    VariableNode,
    Visitor,
    visit,
)
from graphql.validation import ASTValidationRule, OverlappingFieldsCanBeMergedRule
from graphql.validation import validate as graphql_validate
from graphql.validation.validate import ValidationAbortedError
from strawberry.extensions import SchemaExtension
from strawberry.extensions.parser_cache import _get_parse_cache
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

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


@dataclass(frozen=True)
class DocumentBudget:
    """What one document may amount to before graphql-core validates it (docs/security.md, 11.2)."""

    max_characters: int = 32_768
    max_tokens: int = 1000
    # Fields with one response name merged at one response path (through fragments and parents).
    max_repeats: int = 12
    # Fragment spreads merged at one response path.
    max_spreads: int = 12
    # Pairs graphql-core compares: same-named fields at each response path, and fragment spreads.
    max_pairs: int = 250
    # Selections visited by the merge walk, along every response path (bounds the walk itself).
    max_steps: int = 4000
    # Work units graphql-core's OverlappingFieldsCanBeMergedRule may spend (its own meter).
    max_overlap_work: int = 2000


class _TooComplex(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _pairs(count: int) -> int:
    return count * (count - 1) // 2


class _MergeWalker:
    """Groups selections the way execution merges them: by response path, through fragments.

    Every field with response name n under path p (whichever parent occurrence, inline fragment
    or fragment spread it came through) lands in the group p.n. graphql-core's overlap rule
    compares each pair of fields in a group about once (from the selection set where their
    parents part), and each pair of fragments spread together, so the sum of those pairs is
    what its work grows with: the walk counts them and refuses past `max_pairs`. Each step
    visits one selection and the walk stops at `max_steps`, so it is bounded however fragments
    are reused.
    """

    def __init__(self, fragments: Mapping[str, FragmentDefinitionNode], budget: DocumentBudget, depth: int) -> None:
        self.fragments = fragments
        self.budget = budget
        self.max_depth = depth
        self.steps = 0
        self.pairs = 0

    def walk(self, root: OperationDefinitionNode | FragmentDefinitionNode) -> None:
        """Walk an operation, or a fragment definition as graphql-core validates it on its own."""
        start = "" if isinstance(root, OperationDefinitionNode) else f"(fragment {root.name.value[:100]})"
        queue: deque[tuple[str, int, list[SelectionSetNode]]] = deque([(start, 0, [root.selection_set])])
        while queue:
            path, depth, selection_sets = queue.popleft()
            for name, nodes in self.group(path, selection_sets).items():
                where = f"{path}.{name}" if path else name
                self.compare(_pairs(len(nodes)), where)
                below = [n.selection_set for n in nodes if n.selection_set is not None]
                if below and depth < self.max_depth:  # deeper documents fail the depth rule
                    queue.append((where, depth + 1, below))

    def group(self, path: str, selection_sets: list[SelectionSetNode]) -> dict[str, list[FieldNode]]:
        """The fields merged at one response path, by response name."""
        fields: dict[str, list[FieldNode]] = {}
        spreads = 0
        expanded: set[str] = set()
        pending = list(selection_sets)
        while pending:
            for selection in pending.pop().selections:
                self.step()
                if isinstance(selection, FieldNode):
                    name = selection.alias.value if selection.alias else selection.name.value
                    same = fields.setdefault(name, [])
                    same.append(selection)
                    if len(same) > self.budget.max_repeats:
                        raise _TooComplex(
                            f"The response field '{_tail(f'{path}.{name}' if path else name)}' is selected "
                            f"more than {self.budget.max_repeats} times (through fragments and repeated "
                            "parents); select it once."
                        )
                elif isinstance(selection, InlineFragmentNode):
                    pending.append(selection.selection_set)
                elif isinstance(selection, FragmentSpreadNode):
                    spreads += 1
                    if spreads > self.budget.max_spreads:
                        raise _TooComplex(
                            f"More than {self.budget.max_spreads} fragment spreads are merged at "
                            f"'{_tail(path) or 'the top level'}'; spread each fragment once."
                        )
                    fragment = self.fragments.get(selection.name.value)
                    if fragment is not None and fragment.name.value not in expanded:
                        expanded.add(fragment.name.value)
                        pending.append(fragment.selection_set)
        self.compare(_pairs(spreads), path)
        return fields

    def compare(self, pairs: int, where: str) -> None:
        self.pairs += pairs
        if self.pairs > self.budget.max_pairs:
            raise _TooComplex(
                f"The document selects the same response fields too often: validating it would compare "
                f"more than {self.budget.max_pairs} pairs of fields (the last at '{_tail(where) or 'the top level'}'); "
                "select each field once."
            )

    def step(self) -> None:
        self.steps += 1
        if self.steps > self.budget.max_steps:
            raise _TooComplex(
                f"The document selects more than {self.budget.max_steps} fields once its fragments "
                "are spread; ask for less in one request."
            )


def _tail(path: str) -> str:
    """A path short enough for a message (names can be long)."""
    return path if len(path) <= 200 else "…" + path[-200:]


def merge_limits_errors(document: DocumentNode, budget: DocumentBudget, max_depth: int) -> list[GraphQLError]:
    """Refusals of a document whose merging would cost graphql-core more than the budget allows.

    Linear in the document (at most `budget.max_steps` steps); run before graphql-core's
    validation, which would compare every pair of fields sharing a response name.
    """
    walker = _MergeWalker(_fragments(document), budget, max_depth)
    try:
        for definition in document.definitions:
            if isinstance(definition, (OperationDefinitionNode, FragmentDefinitionNode)):
                walker.walk(definition)
    except _TooComplex as refusal:
        return [GraphQLError(refusal.message, extensions={"code": "BAD_REQUEST"})]
    return []


OVERLAP_ABORTED = (
    "Validation stopped: the document's fields overlap too much to compare them all; select each field once."
)


@functools.cache  # one class per meter size, so the validation cache sees the same rules every time
def bounded_overlap_rule(max_work: int) -> type[ValidationRule]:
    """graphql-core's OverlappingFieldsCanBeMergedRule with its work meter set to `max_work` units.

    The rule aborts validation ("Validation aborted.") once it has spent the meter; the merge
    walk refuses documents long before that, so this is the backstop, not the limit people meet.
    """

    class BoundedOverlappingFields(OverlappingFieldsCanBeMergedRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self.rule_context.remaining_complexity_budget = max_work

        def enter_selection_set(self, *args: Any) -> None:
            try:
                super().enter_selection_set(*args)
            except ValidationAbortedError:
                raise ValidationAbortedError(OVERLAP_ABORTED) from None

    return BoundedOverlappingFields


PARSE_CACHE_SIZE = 512
VALIDATION_CACHE_SIZE = 512
# graphql-core finds each error's line and column by scanning the document from its start, and
# computes "did you mean" suggestions for each: past this many errors validation stops.
MAX_VALIDATION_ERRORS = 10


@functools.lru_cache(maxsize=VALIDATION_CACHE_SIZE)
def validated_documents(
    schema: GraphQLSchema, document: DocumentNode, rules: tuple[type[ASTValidationRule], ...]
) -> list[GraphQLError]:
    """graphql-core's validation with strawberry's two extra rules (as strawberry runs it), cached."""
    return graphql_validate(
        schema,
        document,
        (*rules, MaybeNullValidationRule, OneOfInputValidationRule),
        max_errors=MAX_VALIDATION_ERRORS,
    )


class DocumentGate(SchemaExtension):
    """Parse and validate within the document budget, with shared LRU caches for both steps.

    Replaces strawberry's MaxTokensLimiter, ParserCache and ValidationCache: the document's
    length is checked before the lexer reads it (lexing 1 MB of string literal takes the
    event loop for half a second), its tokens while it is parsed, and the merge walk runs
    before graphql-core's validation, whose overlap rule gets a bounded work meter.
    """

    def __init__(self, *, budget: DocumentBudget, max_depth: int) -> None:
        self.budget = budget
        self.max_depth = max_depth
        self.parse = _get_parse_cache(PARSE_CACHE_SIZE)
        self.overlap = bounded_overlap_rule(budget.max_overlap_work)

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        query = context.query or ""
        if len(query) > self.budget.max_characters:
            raise GraphQLError(
                f"The document is {len(query)} characters long; at most {self.budget.max_characters} "
                "are accepted (send long text in variables)."
            )
        context.graphql_document = self.parse(query, max_tokens=self.budget.max_tokens)
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        assert document is not None  # noqa: S101 - strawberry validates only parsed documents
        refused = merge_limits_errors(document, self.budget, self.max_depth) or nul_errors(
            context.query, document, context.variables
        )
        if refused:
            context.pre_execution_errors = refused
        else:
            rules = tuple(
                self.overlap if rule is OverlappingFieldsCanBeMergedRule else rule for rule in context.validation_rules
            )
            context.pre_execution_errors = validated_documents(context.schema._schema, document, rules)
        yield


def document_errors(
    schema: GraphQLSchema,
    query: str,
    budget: DocumentBudget,
    max_depth: int,
    rules: tuple[type[ASTValidationRule], ...],
) -> list[GraphQLError]:
    """What DocumentGate would refuse in a document (with these rules), without running it."""
    if len(query) > budget.max_characters:
        return [GraphQLError(f"The document is over {budget.max_characters} characters long.")]
    try:
        document = _get_parse_cache(PARSE_CACHE_SIZE)(query, max_tokens=budget.max_tokens)
    except GraphQLError as error:
        return [error]
    return merge_limits_errors(document, budget, max_depth) or validated_documents(schema, document, rules)


NUL_REFUSED = "Text may not contain NUL characters (U+0000); remove them"


def nul_errors(query: str | None, document: DocumentNode, variables: Mapping[str, Any] | None) -> list[GraphQLError]:
    """A BAD_REQUEST for a NUL character in any string the request gives, in the document or its variables.

    PostgreSQL's text cannot hold U+0000 (a message containing one failed as INTERNAL), and no
    title, message or name needs one: every string input is refused whole, before any resolver
    runs, whatever field it is for and whichever database is behind (docs/security.md, 11.12).
    """
    if query is not None and "\\u" in query:  # a literal can only hold NUL through an escape
        for node in _string_values(document):
            if "\x00" in node.value:
                return [GraphQLError(f"{NUL_REFUSED}.", node, extensions={"code": "BAD_REQUEST"})]
    where = _nul_in(variables or {}, "variables")
    if where is not None:
        return [GraphQLError(f"{NUL_REFUSED} (at {_tail(where)}).", extensions={"code": "BAD_REQUEST"})]
    return []


def _string_values(document: DocumentNode) -> list[StringValueNode]:
    found: list[StringValueNode] = []

    class Strings(Visitor):
        def enter_string_value(self, node: StringValueNode, *_: Any) -> None:
            found.append(node)

    visit(document, Strings())
    return found


def _nul_in(value: object, path: str) -> str | None:
    """The path of the first string holding a NUL (keys included), walking without recursion."""
    pending: list[tuple[object, str]] = [(value, path)]
    while pending:
        current, where = pending.pop()
        if isinstance(current, str):
            if "\x00" in current:
                return where
        elif isinstance(current, Mapping):
            for key, item in current.items():
                if isinstance(key, str) and "\x00" in key:
                    return where
                pending.append((item, f"{where}.{key}"))
        elif isinstance(current, (list, tuple)):
            pending.extend((item, f"{where}[{i}]") for i, item in enumerate(current))
    return None
