"""The consultation desk's service layer: directory, consent, threads, care (plans and visits), audit."""

from resolvers.consultations import audit, care, consent, directory, threads

__all__ = ["audit", "care", "consent", "directory", "threads"]
