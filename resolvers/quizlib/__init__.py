"""Pure quiz building blocks: import/export formats, grading, validation and statistics.

Nothing in this package touches the database, the web or GraphQL.
"""

from resolvers.quizlib.errors import FormatError
from resolvers.quizlib.model import QUESTION_TYPES, ImportedOption, ImportedQuestion, Skipped

__all__ = ["QUESTION_TYPES", "FormatError", "ImportedOption", "ImportedQuestion", "Skipped"]
