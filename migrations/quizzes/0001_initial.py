from orjson import loads
from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from models.base import PublicationStatus
from models.quizzes import AttemptKind, AttemptStatus, Difficulty, OptionRole, QuestionType


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    initial = True

    operations = [
        ops.CreateModel(
            name="QuestionBank",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ("name", fields.CharField(max_length=200)),
                ("description", fields.TextField(null=True, unique=False)),
                (
                    "created_by",
                    fields.ForeignKeyField(
                        "accounts.User",
                        source_field="created_by_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="question_banks",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
            ],
            options={"table": "question_bank", "app": "quizzes", "pk_attr": "id"},
            bases=["TimestampedModel"],
        ),
        ops.CreateModel(
            name="Question",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
                (
                    "bank",
                    fields.ForeignKeyField(
                        "quizzes.QuestionBank",
                        source_field="bank_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="questions",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("position", fields.IntField(default=0)),
                (
                    "type",
                    fields.CharEnumField(
                        description="SINGLE_CHOICE: SINGLE_CHOICE\nMULTIPLE_CHOICE: MULTIPLE_CHOICE\nTRUE_FALSE: TRUE_FALSE\nFILL_IN_BLANK: FILL_IN_BLANK\nMATCHING: MATCHING\nORDERING: ORDERING",
                        enum_type=QuestionType,
                        max_length=20,
                    ),
                ),
                ("stem", fields.TextField(unique=False)),
                ("explanation", fields.TextField(null=True, unique=False)),
                (
                    "difficulty",
                    fields.CharEnumField(
                        null=True,
                        description="EASY: EASY\nMEDIUM: MEDIUM\nHARD: HARD",
                        enum_type=Difficulty,
                        max_length=10,
                    ),
                ),
                ("audiences", fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ("tags", fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ("media_ids", fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ("accepted_answers", fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
            ],
            options={
                "table": "question",
                "app": "quizzes",
                "pk_attr": "id",
                "table_description": "One question of a bank. Tags and media ids are kept as lists until content and media are wired.",
            },
            bases=["TimestampedModel"],
        ),
        ops.CreateModel(
            name="QuestionOption",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "question",
                    fields.ForeignKeyField(
                        "quizzes.Question",
                        source_field="question_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="options",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("token", fields.CharField(unique=True, max_length=32)),
                (
                    "role",
                    fields.CharEnumField(
                        default=OptionRole.OPTION,
                        description="OPTION: OPTION\nTARGET: TARGET",
                        enum_type=OptionRole,
                        max_length=10,
                    ),
                ),
                ("text", fields.TextField(unique=False)),
                ("correct", fields.BooleanField(default=False)),
                ("feedback", fields.TextField(null=True, unique=False)),
                ("match_token", fields.CharField(null=True, max_length=32)),
                ("key_position", fields.IntField()),
                ("display_position", fields.IntField()),
            ],
            options={
                "table": "question_option",
                "app": "quizzes",
                "pk_attr": "id",
                "table_description": "An option or a matching target, known to clients only by its random token.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Quiz",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ("title", fields.CharField(max_length=200)),
                ("description", fields.TextField(null=True, unique=False)),
                ("audiences", fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                (
                    "status",
                    fields.CharEnumField(
                        default=PublicationStatus.DRAFT,
                        description="DRAFT: DRAFT\nIN_REVIEW: IN_REVIEW\nPUBLISHED: PUBLISHED\nARCHIVED: ARCHIVED",
                        enum_type=PublicationStatus,
                        max_length=20,
                    ),
                ),
                (
                    "draw_bank",
                    fields.ForeignKeyField(
                        "quizzes.QuestionBank",
                        source_field="draw_bank_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="drawing_quizzes",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("draw_count", fields.IntField(null=True)),
                ("time_limit_seconds", fields.IntField(null=True)),
                ("max_attempts", fields.IntField(null=True)),
                ("passing_score", fields.FloatField(null=True)),
                ("shuffle_options", fields.BooleanField(default=False)),
                ("lesson_id", fields.IntField(null=True, db_index=True)),
                (
                    "created_by",
                    fields.ForeignKeyField(
                        "accounts.User",
                        source_field="created_by_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="quizzes",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
            ],
            options={"table": "quiz", "app": "quizzes", "pk_attr": "id"},
            bases=["TimestampedModel"],
        ),
        ops.CreateModel(
            name="Attempt",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "user",
                    fields.ForeignKeyField(
                        "accounts.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="quiz_attempts",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "quiz",
                    fields.ForeignKeyField(
                        "quizzes.Quiz",
                        source_field="quiz_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="attempts",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "kind",
                    fields.CharEnumField(
                        default=AttemptKind.QUIZ,
                        description="QUIZ: QUIZ\nPRACTICE_WRONG: PRACTICE_WRONG\nPRACTICE_RANDOM: PRACTICE_RANDOM",
                        enum_type=AttemptKind,
                        max_length=20,
                    ),
                ),
                (
                    "status",
                    fields.CharEnumField(
                        default=AttemptStatus.IN_PROGRESS,
                        description="IN_PROGRESS: IN_PROGRESS\nSUBMITTED: SUBMITTED\nEXPIRED: EXPIRED",
                        enum_type=AttemptStatus,
                        max_length=20,
                    ),
                ),
                ("started_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("deadline", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("submitted_at", fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False)),
                ("total_count", fields.IntField()),
                ("correct_count", fields.IntField(null=True)),
                ("score", fields.FloatField(null=True)),
                ("passed", fields.BooleanField(null=True)),
            ],
            options={
                "table": "quiz_attempt",
                "app": "quizzes",
                "indexes": [Index(fields=["user_id", "status"])],
                "pk_attr": "id",
                "table_description": "One sitting of a quiz or a practice round, graded once on submission.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="AttemptItem",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "attempt",
                    fields.ForeignKeyField(
                        "quizzes.Attempt",
                        source_field="attempt_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="items",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "accounts.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="attempt_items",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "question",
                    fields.ForeignKeyField(
                        "quizzes.Question",
                        source_field="question_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="attempt_items",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("position", fields.IntField()),
                ("option_order", fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ("target_order", fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ("answer", fields.JSONField(null=True, encoder=JSON_DUMPS, decoder=loads)),
                ("answered_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("first_seen", fields.BooleanField(default=False)),
                ("correct", fields.BooleanField(null=True)),
            ],
            options={
                "table": "attempt_item",
                "app": "quizzes",
                "unique_together": (("attempt", "question"),),
                "indexes": [Index(fields=["user_id", "question_id"])],
                "pk_attr": "id",
                "table_description": "A question fixed in an attempt with its option order, the saved answer and, once graded, the result.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="QuizQuestion",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "quiz",
                    fields.ForeignKeyField(
                        "quizzes.Quiz",
                        source_field="quiz_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="fixed_questions",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "question",
                    fields.ForeignKeyField(
                        "quizzes.Question",
                        source_field="question_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="quiz_links",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("position", fields.IntField()),
            ],
            options={
                "table": "quiz_question",
                "app": "quizzes",
                "unique_together": (("quiz", "question"),),
                "pk_attr": "id",
                "table_description": "A fixed question of a quiz, in order.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="WrongQuestion",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "user",
                    fields.ForeignKeyField(
                        "accounts.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="wrong_questions",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "question",
                    fields.ForeignKeyField(
                        "quizzes.Question",
                        source_field="question_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="wrong_entries",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("times_wrong", fields.IntField(default=0)),
                ("last_wrong_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("correct_since", fields.IntField(default=0)),
                ("mastered", fields.BooleanField(default=False)),
            ],
            options={
                "table": "wrong_question",
                "app": "quizzes",
                "unique_together": (("user", "question"),),
                "pk_attr": "id",
                "table_description": "A question in a learner's wrong-answer notebook.",
            },
            bases=["Model"],
        ),
    ]
