"""The editors' lesson editor and media library in Chromium (issue 13's first must-show scenario)."""

from __future__ import annotations

import io
import random
from pathlib import Path
from typing import Any

import httpx
from PIL import Image

from tests.console.conftest import axe_violations, graphql, login, sign_in
from tests.console.screens import shot

PUBLIC_LESSONS = (
    "{ lessons(first: 50, orderBy: NEWEST) { edges { node { id title coverImage { id } media { id altText } } } } }"
)


def noisy_png(path: Path, size: tuple[int, int] = (900, 700)) -> Path:
    """A PNG that does not compress to nothing, so the upload takes more than one progress event."""
    rng = random.Random(13)
    image = Image.frombytes("RGB", size, bytes(rng.getrandbits(8) for _ in range(size[0] * size[1] * 3)))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return path


async def test_editor_uploads_writes_is_stopped_by_the_gate_fixes_it_and_publishes(
    page: Any, api: httpx.AsyncClient, tmp_path: Path
) -> None:
    await sign_in(page, "demo-editor")
    # Upload an image without alt text, by the file picker, and watch the progress bar.
    await page.get_by_role("navigation").get_by_role("link", name="媒体库").click()
    await page.get_by_role("heading", name="媒体库").wait_for()
    await page.get_by_label("标题", exact=True).fill("禁毒宣传海报")
    await page.get_by_label("选择文件").set_input_files(str(noisy_png(tmp_path / "poster.png")))
    await page.get_by_role("button", name="上传", exact=True).click()
    bar = page.get_by_role("progressbar", name="poster.png 的上传进度")
    await page.get_by_role("link", name="完成，查看").wait_for()
    assert await bar.get_attribute("value") == "100"
    assert int(await bar.get_attribute("data-events") or 0) >= 1  # XMLHttpRequest upload progress reached the bar
    await page.get_by_role("cell", name="禁毒宣传海报").first.wait_for()
    await page.get_by_role("cell", name="缺少替代文字").first.wait_for()
    await shot(page, "media-library")
    assert await axe_violations(page) == []

    # Write a lesson with the image attached.
    await page.get_by_role("navigation").get_by_role("link", name="内容").click()
    await page.get_by_role("link", name="新建课程").click()
    await page.get_by_label("标题").fill("识别新型毒品的三个办法")
    await page.get_by_label("摘要").fill("奶茶、跳跳糖和邮票里也可能藏着毒品。")
    await page.get_by_label("正文（Markdown）").fill("## 看包装\n\n**不明来源**的零食不要吃。")
    preview = page.get_by_role("region", name="预览（与读者看到的一致）")
    await preview.locator("strong", has_text="不明来源").wait_for()  # rendered by the server's sanitiser
    await page.get_by_label("栏目").select_option("ILLUSTRATED")
    await page.get_by_label("初中").check()
    await page.get_by_label("标签").fill("新型毒品，预防")
    await page.get_by_label("预计学习时长（分钟）").fill("8")
    await page.get_by_role("button", name="从媒体库添加").click()
    dialog = page.get_by_role("dialog", name="从媒体库添加")
    await dialog.get_by_role("button", name="选择：禁毒宣传海报").first.click()
    await page.get_by_role("listitem").filter(has_text="1. 禁毒宣传海报").wait_for()
    await page.get_by_role("button", name="保存", exact=True).click()
    await page.get_by_role("heading", name="编辑课程").wait_for()
    await page.get_by_role("region", name="审核与发布").wait_for()
    assert await axe_violations(page) == []

    # Publishing is refused by the accessibility gate, next to the image's alt text field.
    await page.get_by_role("button", name="发布", exact=True).click()
    alt = page.get_by_role("textbox", name="替代文字")
    await page.locator(".media-item .field-error", has_text="needs alt text").wait_for()
    assert await alt.get_attribute("aria-invalid") == "true"
    assert await alt.evaluate("el => el === document.activeElement")  # focus moved to the field at fault
    await shot(page, "lesson-editor-gate")
    await alt.fill("一张海报：印着奶茶杯的新型毒品警示")
    await page.get_by_role("button", name="保存替代文字").click()
    await page.get_by_role("status").filter(has_text="“禁毒宣传海报”的说明已保存").wait_for()
    await page.get_by_role("button", name="发布", exact=True).click()
    await page.get_by_role("status").filter(has_text="状态已改为：已发布").wait_for()
    await page.locator(".page-header .badge-PUBLISHED").wait_for()

    # The lesson is in the public API's lessons list, with its image's alt text.
    public = await graphql(api, PUBLIC_LESSONS)
    found = [e["node"] for e in public["lessons"]["edges"] if e["node"]["title"] == "识别新型毒品的三个办法"]
    assert len(found) == 1 and found[0]["media"][0]["altText"] == "一张海报：印着奶茶杯的新型毒品警示"


async def test_pending_edit_shows_as_a_diff_and_media_shows_where_it_is_used(page: Any, api: httpx.AsyncClient) -> None:
    token = await login(api, "demo-editor")
    created = await graphql(
        api,
        "mutation($i: LessonInput!) { createLesson(input: $i) { lesson { id } errors { message } } }",
        {"i": {"title": "戒断反应怎么办", "section": "HANDBOOK", "body": "第一行\n第二行"}},
        token=token,
    )
    lesson_id = created["createLesson"]["lesson"]["id"]
    await graphql(
        api,
        "mutation($id: ID!) { setLessonStatus(id: $id, status: PUBLISHED) { errors { message } } }",
        {"id": lesson_id},
        token=token,
    )
    await sign_in(page, "demo-editor")
    await page.goto(f"/console/#/content/lessons/{lesson_id}")
    await page.get_by_label("正文（Markdown）").fill("第一行\n改过的第二行")
    await page.get_by_role("button", name="保存", exact=True).click()
    await page.get_by_text("此内容已发布；下面的修改尚未发布").wait_for()
    diff = page.get_by_role("group", name="待发布的修改与已发布版本的对比")
    assert await diff.locator("del").text_content() == "删除：第二行"
    assert await diff.locator("ins").text_content() == "新增：改过的第二行"
    await shot(page, "lesson-editor-pending-diff")
    public = await graphql(api, "query($id: ID!) { lesson(id: $id) { body } }", {"id": lesson_id})
    assert public["lesson"]["body"] == "第一行\n第二行"  # readers still get the published version
    await page.get_by_role("button", name="发布修改").click()
    await page.get_by_role("status").filter(has_text="状态已改为：已发布").wait_for()
    public = await graphql(api, "query($id: ID!) { lesson(id: $id) { body } }", {"id": lesson_id})
    assert public["lesson"]["body"] == "第一行\n改过的第二行"


async def test_editor_at_phone_width_with_the_keyboard_and_in_english(page: Any, context: Any) -> None:
    await sign_in(page, "demo-editor")
    await page.set_viewport_size({"width": 390, "height": 844})
    await page.goto("/console/#/content/lessons/new")
    await page.get_by_role("heading", name="新建课程").wait_for()
    # Nothing is wider than the phone: no sideways scrolling.
    assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    # The media picker opens and closes from the keyboard, and focus is visible on the way.
    add = page.get_by_role("button", name="从媒体库添加")
    await add.focus()
    await page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="从媒体库添加")
    await dialog.wait_for()
    await page.keyboard.press("Tab")
    outline = await page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    await page.keyboard.press("Escape")
    await dialog.wait_for(state="detached")
    assert await add.evaluate("el => el === document.activeElement")  # focus returns to the opener
    await shot(page, "lesson-editor-phone")
    # The English switch relabels the editor.
    await page.get_by_role("button", name="English").click()
    await page.get_by_role("heading", name="New lesson").wait_for()
    await page.get_by_label("Body (Markdown)").wait_for()
    await page.get_by_role("region", name="Preview (as readers will see it)").wait_for()


async def test_story_errors_at_their_fields_and_a_translation_beside_its_source(
    page: Any, api: httpx.AsyncClient
) -> None:
    await sign_in(page, "demo-editor")
    # A story: the API's UserError for an empty title appears under the title field.
    await page.goto("/console/#/content/stories/new")
    await page.get_by_role("heading", name="新建故事").wait_for()
    await page.get_by_label("故事类别").select_option("METHOD")
    await page.get_by_label("讲述人").fill("社区戒毒社工")
    await page.get_by_role("button", name="保存", exact=True).click()
    title = page.get_by_label("标题")
    await page.locator(".field.has-error").filter(has=title).wait_for()
    assert await title.get_attribute("aria-invalid") == "true"
    await title.fill("我这样帮助他们走出来")
    await page.get_by_role("button", name="保存", exact=True).click()
    await page.get_by_role("heading", name="编辑故事").wait_for()
    story_id = page.url.split("/stories/")[1]
    token = await login(api, "demo-editor")
    story = await graphql(
        api, "query($id: ID!) { story(id: $id) { title kind narrator } }", {"id": story_id}, token=token
    )
    assert story["story"] == {"title": "我这样帮助他们走出来", "kind": "METHOD", "narrator": "社区戒毒社工"}

    # A translation of a lesson is written beside its source.
    created = await graphql(
        api,
        "mutation($i: LessonInput!) { createLesson(input: $i) { lesson { id } errors { message } } }",
        {"i": {"title": "什么是冰毒", "section": "HANDBOOK", "body": "冰毒即**甲基苯丙胺**。"}},
        token=token,
    )
    source_id = created["createLesson"]["lesson"]["id"]
    await page.goto(f"/console/#/content/lessons/{source_id}")
    await page.get_by_role("link", name="添加English译文").click()
    await page.get_by_role("heading", name="翻译“什么是冰毒”").wait_for()
    source = page.get_by_role("complementary", name="原文（简体中文）")
    await source.locator("strong", has_text="甲基苯丙胺").wait_for()
    await page.get_by_label("标题").fill("What is meth")
    await page.get_by_label("正文（Markdown）").fill("Meth is **methamphetamine**.")
    await page.get_by_role("button", name="保存", exact=True).click()
    await page.get_by_role("heading", name="编辑课程").wait_for()
    await page.get_by_role("complementary", name="原文（简体中文）").wait_for()  # still beside its source
    found = await graphql(
        api, "query($id: ID!) { lesson(id: $id) { translations { locale title } } }", {"id": source_id}, token=token
    )
    assert found["lesson"]["translations"] == [{"locale": "en", "title": "What is meth"}]


async def test_drop_a_file_to_upload_and_schedule_a_lesson(page: Any, api: httpx.AsyncClient) -> None:
    await sign_in(page, "demo-editor")
    await page.goto("/console/#/media")
    await page.get_by_role("heading", name="媒体库").wait_for()
    await page.get_by_label("标题", exact=True).fill("拖进来的说明书")
    # A file dropped on the box uploads at once, with its progress bar.
    dropped = await page.evaluate_handle(
        """() => {
            const data = new DataTransfer();
            data.items.add(new File(['%PDF-1.4\\n1 0 obj<<>>endobj\\ntrailer<<>>\\n%%EOF\\n'], 'guide.pdf', { type: 'application/pdf' }));
            return data;
        }"""
    )
    await page.dispatch_event(".drop-zone", "drop", {"dataTransfer": dropped})
    await page.get_by_role("progressbar", name="guide.pdf 的上传进度").wait_for()
    await page.get_by_role("link", name="完成，查看").click()
    await page.get_by_role("heading", name="拖进来的说明书").wait_for()
    await page.get_by_text("还没有课程或故事使用此文件。").wait_for()

    # Schedule a draft for publication next year: the API holds the time.
    token = await login(api, "demo-editor")
    created = await graphql(
        api,
        "mutation($i: LessonInput!) { createLesson(input: $i) { lesson { id } } }",
        {"i": {"title": "明年发布的课程", "section": "COURSEWARE"}},
        token=token,
    )
    lesson_id = created["createLesson"]["lesson"]["id"]
    await page.goto(f"/console/#/content/lessons/{lesson_id}")
    await page.get_by_text("定时发布与下线").click()
    await page.get_by_label("定时发布时间").fill("2099-06-26T09:00")
    await page.get_by_role("button", name="保存定时").click()
    await page.get_by_role("status").filter(has_text="定时已保存").wait_for()
    found = await graphql(api, "query($id: ID!) { lesson(id: $id) { publishAt } }", {"id": lesson_id}, token=token)
    assert found["lesson"]["publishAt"].startswith("2099-06-2")


VIDEOS = "{ mediaLibrary(kind: VIDEO, first: 20) { edges { node { id title captions { language kind } } } } }"
TRACK_LOADED = """() => {
  const el = document.querySelector('video track');
  return !!el && el.readyState === 2 && !!el.track.cues && el.track.cues.length > 0;
}"""


async def test_a_demo_video_plays_with_its_captions_and_an_editor_adds_and_removes_a_track(
    page: Any, api: httpx.AsyncClient, tmp_path: Path
) -> None:
    token = await login(api, "demo-editor")
    videos = [e["node"] for e in (await graphql(api, VIDEOS, token=token))["mediaLibrary"]["edges"]]
    video = next(v for v in videos if v["title"] == "视频：6·26国际禁毒日")
    assert video["captions"] == [{"language": "zh-CN", "kind": "CAPTIONS"}]
    await sign_in(page, "demo-editor")
    await page.goto(f"/console/#/media/{video['id']}")
    tracks = page.locator("video track")
    await tracks.first.wait_for(state="attached")
    assert [await tracks.first.get_attribute(a) for a in ("kind", "srclang", "label")] == ["captions", "zh-CN", "中文"]
    # The browser fetched the .vtt (text/vtt, allowed by the console's CSP) and read the narration's cues.
    await page.wait_for_function(TRACK_LOADED)
    first_cue = await page.evaluate("() => document.querySelector('video track').track.cues[0].text")
    assert first_cue == "每年六月二十六日是国际禁毒日。"
    await shot(page, "media-video-captions")

    english = tmp_path / "en.vtt"
    english.write_text(
        "WEBVTT\n\n00:01.500 --> 00:04.000\nEvery 26 June is the International Day against Drug Abuse.\n"
    )
    await page.get_by_label("WebVTT 字幕文件（.vtt）").set_input_files(english)
    await page.get_by_label("语言").fill("en")
    await page.get_by_label("名称").fill("English")
    await page.get_by_label("类型").select_option("SUBTITLES")
    await page.get_by_role("button", name="添加字幕轨道").click()
    await page.get_by_role("status").filter(has_text="字幕轨道已保存").wait_for()
    assert await tracks.count() == 2 and await tracks.nth(1).get_attribute("srclang") == "en"
    shown = next(
        v for v in (await graphql(api, VIDEOS, token=token))["mediaLibrary"]["edges"] if v["node"]["id"] == video["id"]
    )
    assert shown["node"]["captions"] == [
        {"language": "zh-CN", "kind": "CAPTIONS"},
        {"language": "en", "kind": "SUBTITLES"},
    ]
    assert await axe_violations(page) == []

    await page.get_by_role("button", name="删除字幕轨道：English").click()
    await page.get_by_role("status").filter(has_text="字幕轨道已删除").wait_for()
    assert await tracks.count() == 1
