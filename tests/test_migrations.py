"""The models and the migration chain agree (issue 17).

`tortoise makemigrations` (CONTRIBUTING.md, "Add a migration") builds the state the committed
migrations describe, compares it with the models and writes a migration for every difference.
The first test runs that same autodetector in-process, writing nothing: when it finds a change,
someone changed a model without a migration, or wrote a migration by hand that records something
other than the model (CONTRIBUTING.md says what to do). The second checks what the migrations
built for the one table whose descriptions were mended without tortoise's own AlterField.
"""

from __future__ import annotations

from tortoise import connections
from tortoise.context import TortoiseContext
from tortoise.migrations.autodetector import MigrationAutodetector

from migrations.tortoise_conf import TORTOISE_ORM
from models import app_configs


async def test_makemigrations_finds_no_change() -> None:
    # init_connections=False: the models' apps without opening a database; models that the test
    # database initialised already keep their query builders (built for that database's dialect).
    async with TortoiseContext() as context:
        await context.init(config=TORTOISE_ORM, init_connections=False)
        assert context.apps is not None
        writers = await MigrationAutodetector(context.apps, app_configs()).changes()
    found = "\n".join(f"--- migrations/{w.app_label}/{w.name}.py\n{w.as_string()}" for w in writers)
    assert not writers, (
        "The models and the migrations disagree: `tortoise makemigrations` would write\n"
        f"{found}\nSee CONTRIBUTING.md, 'Add a migration', for what to do."
    )


async def test_data_export_keeps_its_indexes_and_gets_its_descriptions(db: str) -> None:
    """accounts/0009 changes descriptions only: SQLite keeps the table as it was (tortoise's AlterField
    would rebuild it without its indexes); PostgreSQL stores the descriptions as comments."""
    client = connections.get("default")
    if client.capabilities.dialect == "sqlite":
        _, rows = await client.execute_query(
            "SELECT i.name AS idx, c.name AS col FROM pragma_index_list('data_export') AS i, "
            "pragma_index_info(i.name) AS c WHERE i.origin = 'c' ORDER BY i.name, c.seqno"
        )
        indexed: dict[str, list[str]] = {}
        for row in rows:
            indexed.setdefault(row["idx"], []).append(row["col"])
        assert sorted(indexed.values()) == [["expires_at"], ["user_id", "status"]]
        return
    _, rows = await client.execute_query(
        "SELECT indexdef FROM pg_indexes WHERE tablename = 'data_export' AND indexdef NOT LIKE '%UNIQUE%'"
    )
    assert sorted(r["indexdef"].split(" USING btree ")[1] for r in rows) == ["(expires_at)", "(user_id, status)"]
    _, rows = await client.execute_query(
        "SELECT obj_description('data_export'::regclass, 'pg_class') AS export, "
        "obj_description('preview_token'::regclass, 'pg_class') AS preview, "
        "col_description('data_export'::regclass, "
        "(SELECT attnum FROM pg_attribute WHERE attrelid = 'data_export'::regclass AND attname = 'status')) AS status"
    )
    assert rows[0]["export"].startswith("One exportMyData request (resolvers/exports.py)")
    assert rows[0]["preview"].startswith("A read-only preview link of one item")
    # Tortoise's own text for an enum column, as on every other one (its escaping leaves a literal \n).
    assert (
        rows[0]["status"] == r"PENDING: PENDING\nREADY: READY\nDOWNLOADED: DOWNLOADED\nEXPIRED: EXPIRED\nFAILED: FAILED"
    )
