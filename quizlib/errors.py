"""Exceptions raised by the quiz building blocks."""


class FormatError(Exception):
    """An import file that cannot be read at all (bad syntax, refused XML)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
