"""The quizzes domain in GraphQL (types, inputs, queries, mutations)."""

from schema.quizzes.mutations import QuizMutation
from schema.quizzes.queries import QuizQuery

__all__ = ["QuizMutation", "QuizQuery"]
