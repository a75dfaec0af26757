"""Plain-SQL reads (models/sql.py) give exactly what the ORM's model instances give, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from models import sql
from models.base import Role
from models.content import (
    ContentItem,
    ContentType,
    MediaAsset,
    MediaKind,
    PublicationStatus,
)
from models.quizzes import (
    Attempt,
    AttemptItem,
    AttemptKind,
    Difficulty,
    Question,
    QuestionBank,
    QuestionOption,
    QuestionType,
)
from resolvers.accounts import actor_for
from resolvers.content import items, loaders
from resolvers.quizzes import loaders as quiz_loaders
from tests.accounts.factories import make_user
from tests.helpers import count_statements


async def _arrange() -> None:
    editor = actor_for(await make_user("editor", Role.EDITOR))
    image = await MediaAsset.create(
        kind=MediaKind.IMAGE,
        mime_type="image/png",
        extension=".png",
        byte_size=10,
        sha256="a" * 64,
        alt_text="海报",
        width=800,
        height=600,
    )
    await MediaAsset.create(
        kind=MediaKind.VIDEO,
        mime_type="video/mp4",
        extension=".mp4",
        byte_size=99,
        sha256="b" * 64,
        duration_seconds=12.5,
        is_private=True,
    )
    lesson = await items.create(
        editor,
        ContentType.LESSON,
        {
            "title": "远离毒品",
            "body": "**毒品**危害健康。",
            "section": "HANDBOOK",
            "estimated_minutes": 5,
            "cover_image_id": image.id,
            "audiences": ["MIDDLE_SCHOOL", "ADULT"],
            "tags": ["毒品危害"],
        },
    )
    await items.set_status(editor, ContentType.LESSON, lesson.id, PublicationStatus.PUBLISHED)
    await items.update(editor, ContentType.LESSON, lesson.id, {"title": "新标题"})  # a pending edit (JSON column)
    await items.create(editor, ContentType.STORY, {"title": "阿城", "kind": "RECOVERY_STORY", "narrator": "阿城"})
    await ContentItem.filter(content_type=ContentType.STORY).update(publish_at=datetime.now(UTC) + timedelta(days=1))


async def test_detached_rows_equal_model_attributes_column_by_column(db: str) -> None:
    await _arrange()
    rows = await sql.detached_rows(ContentItem.all().order_by("id"), items.ROW_COLUMNS)
    models = await ContentItem.all().order_by("id")
    assert len(rows) == len(models) == 2
    for row, model in zip(rows, models, strict=True):
        for column in items.ROW_COLUMNS:
            expected, got = getattr(model, column), getattr(row, column)
            assert got == expected and type(got) is type(expected), (column, got, expected)
    assert rows[0].pending and sorted(rows[0].audiences) == ["ADULT", "MIDDLE_SCHOOL"]
    assert rows[1].publish_at is not None and rows[1].publish_at.tzinfo is not None


async def test_hand_written_rows_equal_detached_rows(db: str) -> None:
    await _arrange()
    columns = sql.select_list(ContentItem, items.ROW_COLUMNS, "ci")
    statement = f"SELECT {columns} FROM content_item ci WHERE ci.id > ? ORDER BY ci.id"  # noqa: S608 fixed text
    rows = await sql.model_rows(ContentItem, items.ROW_COLUMNS, statement, [0])
    detached = await sql.detached_rows(ContentItem.all().order_by("id"), items.ROW_COLUMNS)
    assert len(rows) == 2 and rows == detached
    for row, twin in zip(rows, detached, strict=True):
        assert [type(v) for v in row] == [type(v) for v in twin]


async def test_media_rows_equal_the_media_models(db: str) -> None:
    await _arrange()
    models = await MediaAsset.all().order_by("id")
    rows = await loaders.media_by_id([m.id for m in models] + [10**9])
    assert rows[-1] is None
    for row, model in zip(rows, models, strict=False):
        assert row is not None
        for column in loaders.MediaRow._fields:
            expected, got = getattr(model, column), getattr(row, column)
            assert got == expected and type(got) is type(expected), (column, got, expected)


async def test_in_lists_of_any_length_and_none_at_all(db: str) -> None:
    await _arrange()
    lesson = await ContentItem.get(content_type=ContentType.LESSON)
    assert (
        await loaders.tags_by_content_id([]) == []
        and await loaders.media_by_content_id([]) == []
        and await loaders.media_by_id([]) == []
    )
    tags = await loaders.tags_by_content_id([lesson.id, 10**9, lesson.id])
    assert [[t.name for t in group] for group in tags] == [["毒品危害"], [], ["毒品危害"]]


async def _question(prefix: str = "tok") -> tuple[Question, list[QuestionOption]]:
    bank = await QuestionBank.create(name="禁毒知识题库")
    question = await Question.create(
        bank=bank,
        type=QuestionType.MULTIPLE_CHOICE,
        stem="下列哪些是毒品？",
        explanation="都是。",
        difficulty=Difficulty.EASY,
        audiences=["MIDDLE_SCHOOL"],
        tags=["毒品危害"],
        media_ids=[],
        accepted_answers=[],
    )
    options = [
        await QuestionOption.create(
            question=question,
            token=f"{prefix}{i}",
            text=text,
            correct=i < 2,
            feedback=None if i else "对",
            key_position=i,
            display_position=2 - i,
        )
        for i, text in enumerate(["冰毒", "海洛因", "维生素"])
    ]
    return question, options


async def test_question_and_option_rows_equal_their_models(db: str) -> None:
    question, _ = await _question()
    [row] = await quiz_loaders.questions_by_id([question.id])
    model = await Question.get(id=question.id)
    for column in sql.columns_of(Question):
        assert getattr(row, column) == getattr(model, column) and type(getattr(row, column)) is type(
            getattr(model, column)
        ), column
    [options] = await quiz_loaders.options_by_question_id([question.id])
    models = await QuestionOption.filter(question_id=question.id).order_by("display_position", "id")
    assert [o.token for o in options] == [m.token for m in models] == ["tok2", "tok1", "tok0"]
    for row, model in zip(options, models, strict=True):
        for column in sql.columns_of(QuestionOption):
            assert getattr(row, column) == getattr(model, column) and type(getattr(row, column)) is type(
                getattr(model, column)
            ), column


async def test_update_rows_writes_what_the_orm_reads_back(db: str) -> None:
    questions = [(await _question(prefix))[0] for prefix in ("a", "b")]
    learner = await make_user("learner", Role.LEARNER)
    attempt = await Attempt.create(
        user=learner, kind=AttemptKind.PRACTICE_RANDOM, started_at=datetime.now(UTC), total_count=2
    )
    items = [
        await AttemptItem.create(attempt=attempt, user=learner, question=q, position=p)
        for p, q in enumerate(questions, 1)
    ]
    moment = datetime.now(UTC)
    items[0].answer, items[0].answered_at, items[0].correct = {"selected": ["tok0", "tok1"]}, moment, True
    items[1].answer, items[1].answered_at, items[1].correct = None, None, False
    with count_statements() as counter:
        await sql.update_rows(items, ["answer", "answered_at", "correct"])
    assert counter.count == 1
    stored = await AttemptItem.filter(attempt_id=attempt.id).order_by("position")
    assert [(i.answer, i.answered_at, i.correct) for i in stored] == [
        ({"selected": ["tok0", "tok1"]}, moment, True),
        (None, None, False),
    ]
    assert [i.position for i in stored] == [1, 2]  # untouched columns stay as they were
