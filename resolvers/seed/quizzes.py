"""Demo question banks, quizzes and the demo learners' attempt history (idempotent)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from demo import ATTEMPT_HISTORIES, BANKS, QUESTIONS, QUIZZES
from models import sql
from models.accounts import User
from models.base import PublicationStatus
from models.quizzes import (
    Attempt,
    AttemptItem,
    AttemptKind,
    AttemptStatus,
    OptionRole,
    Question,
    QuestionBank,
    Quiz,
    QuizQuestion,
)
from resolvers import accounts
from resolvers.content import items
from resolvers.quizlib.grading import score
from resolvers.quizzes.attempts import record_in_notebook
from resolvers.quizzes.banks import OptionSpec, QuestionSpec, answer_key, insert_questions, options_by_question_id
from resolvers.seed import content


async def seed() -> list[str]:
    question_ids = await _banks()
    quiz_ids = await _quizzes(question_ids)
    histories = await _histories(question_ids, quiz_ids)
    return [
        f"Quizzes: {len(question_ids)} questions in {len(BANKS)} banks, {len(quiz_ids)} quizzes, {histories} attempt histories."
    ]


async def _banks() -> dict[str, int]:
    """Demo key -> question id; a bank that exists by name is left as it is."""
    ids: dict[str, int] = {}
    for bank in BANKS:
        row = await QuestionBank.get_or_none(name=bank.name)
        questions = [q for q in QUESTIONS if q.bank_key == bank.key]
        if row is None:
            row = await QuestionBank.create(name=bank.name, description=bank.description)
            specs = [
                QuestionSpec(
                    type=q.type,
                    stem=q.stem,
                    options=[OptionSpec(o.text, o.correct) for o in q.options],
                    match_targets=q.match_targets,
                    accepted_answers=q.accepted_answers,
                    explanation=q.explanation,
                    difficulty=q.difficulty,
                    audiences=q.audiences,
                    tags=q.tags,
                )
                for q in questions
            ]
            await insert_questions(row.id, specs)
        for name in dict.fromkeys(t for q in questions for t in q.tags):
            await items.tag_named(items.clean_tag_name(name))  # tags of banks seeded before tags were shared
        stored = await sql.flat(Question.filter(bank_id=row.id).order_by("position").values_list("id", flat=True))
        ids.update({q.key: pk for q, pk in zip(questions, stored, strict=False)})
    return ids


async def _quizzes(question_ids: dict[str, int]) -> dict[str, int]:
    banks = {b.key: await QuestionBank.get(name=b.name) for b in BANKS}
    lessons = await content.lesson_ids()
    ids: dict[str, int] = {}
    for quiz in QUIZZES:
        row = await Quiz.get_or_none(title=quiz.title)
        lesson_id = lessons.get(quiz.lesson_key) if quiz.lesson_key else None
        if row is not None and row.lesson_id is None and lesson_id is not None:
            row.lesson_id = lesson_id  # a quiz seeded before lessons were linked
            await row.save(update_fields=["lesson_id", "updated_at"])
        if row is None:
            row = await Quiz.create(
                lesson_id=lesson_id,
                title=quiz.title,
                description=quiz.description,
                audiences=sorted(quiz.audiences),
                status=PublicationStatus(quiz.status),
                draw_bank_id=banks[quiz.draw_from_bank_key].id if quiz.draw_from_bank_key else None,
                draw_count=quiz.draw_count,
                time_limit_seconds=quiz.time_limit_seconds,
                max_attempts=quiz.max_attempts,
                passing_score=quiz.passing_score,
                shuffle_options=quiz.shuffle_options,
            )
            await QuizQuestion.bulk_create(
                [
                    QuizQuestion(quiz_id=row.id, question_id=question_ids[k], position=i)
                    for i, k in enumerate(quiz.question_keys)
                ]
            )
        ids[quiz.key] = row.id
    return ids


async def _histories(question_ids: dict[str, int], quiz_ids: dict[str, int]) -> int:
    seeded = 0
    now = datetime.now(UTC)
    for history in ATTEMPT_HISTORIES:
        user = await User.get_or_none(username_key=accounts.username_key(history.username))
        if user is None or await Attempt.exists(user_id=user.id):
            continue
        seen: set[int] = set()
        for demo_attempt in history.attempts:
            moment = now - timedelta(days=demo_attempt.days_ago)
            asked = [question_ids[k] for k in demo_attempt.answers]
            options = dict(zip(asked, await options_by_question_id(asked), strict=True))
            questions = {q.id: q for q in await Question.filter(id__in=asked)}
            correct = sum(1 for v in demo_attempt.answers.values() if v == "correct")
            quiz_id = quiz_ids.get(demo_attempt.quiz_key) if demo_attempt.quiz_key else None
            quiz = await Quiz.get(id=quiz_id) if quiz_id else None
            result = score(correct, len(asked))
            attempt = await Attempt.create(
                user_id=user.id,
                quiz_id=quiz_id,
                kind=AttemptKind.QUIZ if quiz_id else AttemptKind.PRACTICE_WRONG,
                status=AttemptStatus.SUBMITTED,
                started_at=moment - timedelta(minutes=10),
                submitted_at=moment,
                total_count=len(asked),
                correct_count=correct,
                score=result,
                passed=result >= quiz.passing_score if quiz and quiz.passing_score is not None else None,
            )
            items = []
            for position, (key, verdict) in enumerate(demo_attempt.answers.items()):
                qid = question_ids[key]
                grade_key = answer_key(questions[qid], options[qid])
                answer = (
                    {
                        "selected": sorted(grade_key.correct_option_ids),
                        "text": (grade_key.accepted_answers or [None])[0],
                        "matches": dict(grade_key.matches),
                        "order": list(grade_key.order),
                    }
                    if verdict == "correct"
                    else {"selected": [], "text": None, "matches": {}, "order": []}
                )
                items.append(
                    AttemptItem(
                        attempt_id=attempt.id,
                        user_id=user.id,
                        question_id=qid,
                        position=position + 1,
                        option_order=[o.token for o in options[qid] if o.role == OptionRole.OPTION],
                        target_order=[o.token for o in options[qid] if o.role == OptionRole.TARGET],
                        answer=answer,
                        answered_at=moment,
                        correct=verdict == "correct",
                        first_seen=bool(quiz_id) and qid not in seen,
                    )
                )
                if quiz_id:
                    seen.add(qid)
            await AttemptItem.bulk_create(items)
            await record_in_notebook(user.id, items, moment)
        seeded += 1
    return seeded
