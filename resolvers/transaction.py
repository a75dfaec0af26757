"""The unit of work: who owns a mutation's database transaction (docs/architecture.md).

One rule in every domain: the schema's `@payload` decorator (schema/errors.py) opens one
transaction around the whole mutation through `unit_of_work()`, so a mutation's writes land
together or not at all, and a domain error rolls all of them back. A service never commits on
its own; where it must undo or retry part of its work it opens a nested block, which inside the
mutation's transaction is a savepoint. `@payload(atomic=False)` is for the one kind of work that
must persist when the mutation fails (sign-in throttling); there the service owns its writes.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Any

from tortoise.transactions import in_transaction


def unit_of_work() -> AbstractAsyncContextManager[Any]:
    """One transaction for a whole mutation (nested: a savepoint inside the outer one)."""
    return in_transaction()
