"""Encryption at rest (docs/privacy.md): the KEK registry, room for a sealed visit place, and every
existing message body, help plan and visit place and note sealed in place under the KEK that
`beacon migrate` runs with (BEACON_DATA_KEY; resolvers/vault.py). Attachment files are sealed by
`beacon migrate` right after the migrations (resolvers/content/media.py, seal_private_files).
"""

import json
from typing import Any

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

# (table, column, purpose, is JSON)
SEALED_COLUMNS = (
    ("consultation_message", "body", "consultation_message.body", False),
    ("help_plan_revision", "goals", "help_plan_revision.goals", False),
    ("help_plan_revision", "measures", "help_plan_revision.measures", True),
    ("consultation_visit", "location", "consultation_visit.location", False),
    ("consultation_visit", "note", "consultation_visit.note", False),
)
BATCH = 500


async def seal_existing(apps: Any, schema_editor: Any) -> None:
    from resolvers import vault

    client = schema_editor.client
    postgres = client.capabilities.dialect != "sqlite"
    for table, column, purpose, is_json in SEALED_COLUMNS:
        last = 0
        while True:
            sql = (
                f'SELECT id, "{column}" AS value FROM "{table}" WHERE id > {"$1" if postgres else "?"} '  # noqa: S608 names from the constant above
                f'AND "{column}" IS NOT NULL ORDER BY id LIMIT {BATCH}'
            )
            _, rows = await client.execute_query(sql, [last])
            if not rows:
                break
            for row in rows:
                last = row["id"]
                value = row["value"]
                plain = json.loads(value) if is_json and isinstance(value, str) else value
                if isinstance(plain, dict) or vault.is_sealed(plain):
                    continue  # sealed already ({"sealed": value} in the measures' JSON column)
                sealed = vault.seal_text(json.dumps(plain, ensure_ascii=False) if is_json else plain, purpose)
                update = (
                    f'UPDATE "{table}" SET "{column}" = {"$1" if postgres else "?"} '  # noqa: S608 names from the constant above
                    f"WHERE id = {'$2' if postgres else '?'}"
                )
                await client.execute_query(update, [json.dumps({"sealed": sealed}) if is_json else sealed, row["id"]])


async def nothing(apps: Any, schema_editor: Any) -> None:
    """Going back keeps the values sealed: a plain copy would have to be written by hand."""


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("consultations", "0003_message_attachments"),
        ("content", "0006_sealed_media"),
    ]

    initial = False

    operations = [
        ops.CreateModel(
            name="DataKeyCheck",
            fields=[
                ("kid", fields.CharField(primary_key=True, unique=True, db_index=True, max_length=16)),
                ("check", fields.TextField(unique=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "data_key_check",
                "app": "consultations",
                "pk_attr": "kid",
                "table_description": "One key-encryption key that may have wrapped data keys in this database, with a value sealed under it.",
            },
            bases=["Model"],
        ),
        ops.AlterField(
            model_name="Visit",
            name="location",
            field=fields.TextField(null=True, unique=False),
        ),
        ops.RunPython(seal_existing, nothing),
    ]
