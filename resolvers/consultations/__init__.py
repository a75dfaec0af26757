"""The consultation desk's service layer: directory, consent, threads, care (plans and visits), audit."""

from resolvers.consultations import attachments, audit, care, consent, directory, loaders, threads

__all__ = ["attachments", "audit", "care", "consent", "directory", "loaders", "threads"]
