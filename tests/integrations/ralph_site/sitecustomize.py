"""Loaded by ralph's interpreters in the xAPI tests (PYTHONPATH): its fs LRS backend appends.

ralph 5.1's fs backend writes every POST /xAPI/statements with operation CREATE to one
statements file, so only the first POST ever succeeds (later ones get 500 "file exists"). Its
own APPEND operation does what an LRS must; this makes it the default for the fs LRS backend.
Everything else (HTTP API, auth, validation, storage, GET /xAPI/statements) is ralph's own.
"""

from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND
