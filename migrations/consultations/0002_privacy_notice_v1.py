"""Publish version 1 of the consultation desk's privacy notice (Chinese and English).

A later version is published the same way, by a new migration that inserts its rows:
everyone who accepted an older version is then asked again.
"""

from datetime import UTC, datetime

from tortoise import migrations
from tortoise.migrations import operations as ops

PUBLISHED_AT = datetime(2025, 6, 1, tzinfo=UTC)

NOTICE_V1: dict[str, str] = {
    "zh-CN": """\
# 咨询台隐私说明（第1版）

请在开始咨询前读一读。如果有看不懂的地方，可以请社工或家人帮你读。

## 我们会保存什么

- 你的账号名和你选择显示的名字。你可以用化名。
- 你和专家之间的消息，以及你上传的文件。
- 专家为你写的帮扶计划和上门约见的安排。

## 谁能看到

- 只有三类人能看到你的咨询：**你自己**、**你选择的那位专家**、**有名单登记的督导人员**。
- 督导人员只在检查服务质量或处理投诉时查看。
- 每一次查看都会被记录：谁看的、什么时候看的。
- 其他专家、老师、社区里的人都看不到。我们不会公开你的咨询内容。

## 保存多久

- 咨询结束后，记录保存三年，用于必要的跟进和服务检查。
- 三年后，记录会被删除。

## 你可以怎样改变主意

- 你可以随时撤回同意。在“我的”页面点“撤回同意”就可以。
- 撤回后，你不能再发起新的咨询或发送新消息。已经有的记录仍按上面的规定保存。
- 以后想再咨询，重新同意这份说明就可以。

## 有问题找谁

可以在咨询台留言，或者问你的社工。""",
    "en": """\
# Consultation desk privacy notice (version 1)

Please read this before you start. If anything is unclear, ask a social worker or a family member to read it with you.

## What we keep

- Your user name and the name you choose to show. You may use a made-up name.
- The messages between you and the expert, and files you upload.
- The help plan the expert writes for you, and any visits arranged.

## Who can see it

- Only three kinds of people can see your consultation: **you**, **the expert you chose**, and **supervisors whose names are on a list**.
- Supervisors look only to check the quality of the service or to handle a complaint.
- Every time someone looks, it is logged: who looked, and when.
- Other experts, teachers and people in your community cannot see it. We never publish what you write.

## How long we keep it

- After a consultation ends, we keep the record for three years, for follow-up and service checks.
- After three years, the record is deleted.

## How to change your mind

- You can withdraw your consent at any time. Tap “Withdraw consent” on your own page.
- After that you cannot start new consultations or send new messages. What already exists is kept as described above.
- If you want help again later, just accept this notice again.

## Questions

Leave a message at the consultation desk, or ask your social worker.""",
}


async def publish(apps, schema_editor):
    client = schema_editor.client
    placeholders = "?, ?, ?, ?" if client.capabilities.dialect == "sqlite" else "$1, $2, $3, $4"
    for locale, text in NOTICE_V1.items():
        await client.execute_query(
            f"INSERT INTO privacy_notice (version, locale, text, published_at) VALUES ({placeholders})",  # noqa: S608 only the dialect's placeholders are formatted in
            [1, locale, text, PUBLISHED_AT],
        )


async def unpublish(apps, schema_editor):
    await schema_editor.client.execute_query("DELETE FROM privacy_notice WHERE version = 1")


class Migration(migrations.Migration):
    dependencies = [("consultations", "0001_initial")]

    operations = [ops.RunPython(publish, unpublish)]
