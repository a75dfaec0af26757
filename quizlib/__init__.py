"""Pure quiz building blocks: import/export formats, grading, validation and statistics.

Nothing in this package touches the database, the web or GraphQL.
"""

from quizlib.errors import FormatError
from quizlib.model import QUESTION_TYPES, ImportedOption, ImportedQuestion, Skipped

__all__ = ["QUESTION_TYPES", "FormatError", "ImportedOption", "ImportedQuestion", "Skipped"]
