from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("consultations", "0002_privacy_notice_v1"),
        ("content", "0002_search"),
    ]

    initial = False

    operations = [
        ops.CreateModel(
            name="MessageAttachment",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "message",
                    fields.ForeignKeyField(
                        "consultations.ConsultationMessage",
                        source_field="message_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="attachments",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "media",
                    fields.ForeignKeyField(
                        "content.MediaAsset",
                        source_field="media_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="message_attachments",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("position", fields.IntField()),
            ],
            options={
                "table": "consultation_attachment",
                "app": "consultations",
                "unique_together": (("message", "media"),),
                "pk_attr": "id",
                "table_description": "A private media asset attached to a message, in order. Only the two parties of the thread may fetch the file.",
            },
            bases=["Model"],
        ),
    ]
