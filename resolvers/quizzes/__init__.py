"""The quizzes service: banks and questions, quizzes, attempts and practice, figures, import/export."""

from resolvers.quizzes.attempts import (
    AnswerSpec,
    Fetched,
    KeyAccess,
    attempts_of,
    finalize,
    get_attempt,
    items_by_attempt_id,
    key_access_by_user_question,
    save_answers,
    start_practice,
    start_quiz_attempt,
    submit,
    wrong_questions_of,
)
from resolvers.quizzes.banks import (
    OptionSpec,
    QuestionSpec,
    answer_key,
    banks_for,
    create_bank,
    create_question,
    explanation_of,
    find_bank,
    get_bank,
    insert_questions,
    options_by_question_id,
    question_counts_by_bank_id,
    questions_by_id,
    questions_of_bank,
)
from resolvers.quizzes.figures import AccuracyPoint, accuracy_trend, organization_report, quiz_stats
from resolvers.quizzes.quiz import (
    QuizSpec,
    create_quiz,
    fixed_question_ids_by_quiz_id,
    get_quiz,
    question_counts_by_quiz_id,
    quizzes_by_id,
    quizzes_by_lesson_id,
    set_status,
    visible_quizzes,
)
from resolvers.quizzes.transfer import export_bank, export_bank_for, import_questions

__all__ = [
    "AccuracyPoint", "AnswerSpec", "Fetched", "KeyAccess", "OptionSpec", "QuestionSpec", "QuizSpec",
    "accuracy_trend", "answer_key", "attempts_of", "banks_for", "create_bank", "create_question",
    "create_quiz", "explanation_of", "export_bank", "export_bank_for", "finalize", "find_bank",
    "fixed_question_ids_by_quiz_id", "get_attempt", "get_bank", "get_quiz", "import_questions", "insert_questions",
    "items_by_attempt_id", "key_access_by_user_question", "options_by_question_id",
    "organization_report", "question_counts_by_bank_id", "question_counts_by_quiz_id",
    "questions_by_id", "questions_of_bank", "quiz_stats", "quizzes_by_id", "quizzes_by_lesson_id",
    "save_answers", "set_status", "start_practice", "start_quiz_attempt", "submit",
    "visible_quizzes", "wrong_questions_of",
]
