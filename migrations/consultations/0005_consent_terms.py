"""A consent record keeps what was agreed to: purpose, scope and the full text of the notice version.

Records made before this migration did not store the locale shown; they get the text of their
version in the default locale (zh-CN), the one the portal shows first.
"""

import json
from typing import Any

from orjson import loads
from tortoise import fields, migrations
from tortoise.fields.data import JSON_DUMPS
from tortoise.migrations import operations as ops

PURPOSE = "CONSULTATION_DESK"
SCOPE = ["ACCOUNT", "MESSAGES", "ATTACHMENTS", "HELP_PLANS", "VISITS", "ACCESS_LOG"]


async def backfill(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    mark = (lambda n: f"${n}") if client.capabilities.dialect != "sqlite" else (lambda n: "?")
    await client.execute_query(
        f"UPDATE privacy_consent SET purpose = {mark(1)}, scope = {mark(2)}, locale = 'zh-CN', "  # noqa: S608 constant SQL
        "notice_text = COALESCE((SELECT n.text FROM privacy_notice n WHERE n.version = privacy_consent.version "
        "AND n.locale = 'zh-CN'), '') WHERE purpose = ''",
        [PURPOSE, json.dumps(SCOPE)],
    )


async def nothing(apps: Any, schema_editor: Any) -> None:
    """The columns go with the migration's reversal."""


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("consultations", "0004_sealed_data")]

    initial = False

    operations = [
        ops.AddField(
            model_name="PrivacyConsent",
            name="locale",
            field=fields.CharField(default="", max_length=16),
        ),
        ops.AddField(
            model_name="PrivacyConsent",
            name="notice_text",
            field=fields.TextField(default="", unique=False),
        ),
        ops.AddField(
            model_name="PrivacyConsent",
            name="purpose",
            field=fields.CharField(default="", max_length=40),
        ),
        ops.AddField(
            model_name="PrivacyConsent",
            name="scope",
            field=fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads),
        ),
        ops.RunPython(backfill, nothing),
    ]
