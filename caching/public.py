"""Which documents read only public data: every field they select must be on an allowlist.

The check is static (the document, the chosen operation and the schema's types), so it is
computed once per document and operation name. It says nothing about the caller; the
response cache adds that only anonymous requests are cached.

A field is on the list when, for an anonymous caller, its value depends only on published
content, published quizzes, the expert directory or the privacy notice — all of which change
only through mutations or the scheduler, which bump the content version. Deliberately left
off: `node` (could resolve any type), `viewer`, consultations, organization reports, media
and question-bank listings, `Lesson.viewerProgress`, `Quiz.stats`, revisions and the
editor-only fields (`hasPendingChanges`, `publishAt`, `unpublishAt`), and introspection.
"""

from __future__ import annotations

from collections.abc import Mapping

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
)

_CONTENT = frozenset(
    {
        "id",
        "slug",
        "locale",
        "title",
        "summary",
        "body",
        "bodyHtml",
        "audiences",
        "status",
        "publishedAt",
        "updatedAt",
        "tags",
        "coverImage",
        "media",
    }
)
_CONNECTION = frozenset({"pageInfo", "edges", "totalCount"})
_EDGE = frozenset({"cursor", "node"})

PUBLIC_FIELDS: Mapping[str, frozenset[str]] = {
    "Query": frozenset(
        {
            "lessons",
            "lesson",
            "stories",
            "story",
            "search",
            "tags",
            "quizzes",
            "quiz",
            "expertGroups",
            "experts",
            "privacyNotice",
            "syncContent",
        }
    ),
    "Content": _CONTENT,
    "Lesson": _CONTENT
    | {"section", "estimatedMinutes", "servedLocale", "isFallback", "translations", "translationOfId", "quiz"},
    "Story": _CONTENT | {"kind", "narrator"},
    "Tag": frozenset({"id", "slug", "name"}),
    "MediaAsset": frozenset(
        {
            "id",
            "kind",
            "title",
            "altText",
            "transcript",
            "caption",
            "captions",
            "mimeType",
            "byteSize",
            "sha256",
            "width",
            "height",
            "durationSeconds",
            "url",
            "createdAt",
            "variantUrl",
        }
    ),
    "CaptionTrack": frozenset({"language", "label", "kind", "url", "byteSize"}),
    "Quiz": frozenset(
        {
            "id",
            "title",
            "description",
            "audiences",
            "status",
            "timeLimitSeconds",
            "maxAttempts",
            "passingScore",
            "shuffleOptions",
            "questionCount",
        }
    ),
    "Expert": frozenset({"id", "displayName", "title", "bio", "area", "specialties", "acceptingConsultations"}),
    "ExpertGroup": frozenset({"area", "name", "description", "experts"}),
    "PrivacyNotice": frozenset({"version", "locale", "text", "publishedAt"}),
    "ContentSync": frozenset({"items", "deletedIds", "nextSyncToken", "hasMore"}),
    "PageInfo": frozenset({"hasNextPage", "hasPreviousPage", "startCursor", "endCursor"}),
    **{f"{t}Connection": _CONNECTION for t in ("Lesson", "Story", "Content", "Quiz", "Expert")},
    **{f"{t}Edge": _EDGE for t in ("Lesson", "Story", "Content", "Quiz", "Expert")},
}


def _named(type_: object) -> object:
    while isinstance(type_, (GraphQLNonNull, GraphQLList)):
        type_ = type_.of_type
    return type_


class _Walker:
    def __init__(self, schema: GraphQLSchema, fragments: Mapping[str, FragmentDefinitionNode]) -> None:
        self.schema = schema
        self.fragments = fragments
        self.checked: set[tuple[str, str]] = set()

    def selection_set(self, selection_set: SelectionSetNode | None, parent: object) -> bool:
        if not isinstance(parent, (GraphQLObjectType, GraphQLInterfaceType)):
            return False
        allowed = PUBLIC_FIELDS.get(parent.name)
        if allowed is None:
            return False
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                name = selection.name.value
                if name == "__typename":
                    continue
                if name not in allowed or name not in parent.fields:
                    return False
                if selection.selection_set and not self.selection_set(
                    selection.selection_set, _named(parent.fields[name].type)
                ):
                    return False
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                if not self.selection_set(selection.selection_set, target):
                    return False
            elif isinstance(selection, FragmentSpreadNode):
                definition = self.fragments.get(selection.name.value)
                if definition is None:
                    return False
                key = (definition.name.value, parent.name)
                if key in self.checked:
                    continue  # already proven (or being proven: a cycle fails validation anyway)
                self.checked.add(key)
                if not self.selection_set(
                    definition.selection_set, self.schema.get_type(definition.type_condition.name.value)
                ):
                    return False
            else:
                return False
        return True


def is_public_operation(schema: GraphQLSchema, document: DocumentNode, operation_name: str | None) -> bool:
    """True when the operation that would run is a query selecting only public fields."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is None:
        if len(operations) != 1:
            return False
        operation = operations[0]
    else:
        matching = [o for o in operations if o.name and o.name.value == operation_name]
        if len(matching) != 1:
            return False
        operation = matching[0]
    if operation.operation != OperationType.QUERY:
        return False
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    return _Walker(schema, fragments).selection_set(operation.selection_set, schema.query_type)
