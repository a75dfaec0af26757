"""The demo content loads, is idempotent, and is served like any other content."""

from __future__ import annotations

import re

from demo.seed import content as seed_content
from media import parse_webvtt
from models.content import ContentItem, ContentType, MediaAsset
from settings import Settings
from tests.helpers import GraphQLClient

CHINESE = re.compile(r"[\u4e00-\u9fff]")
# Lists cost their page size each (schema/limits.py): the shelf's lessons with their tracks, then every image.
VIDEOS = """{ lessons(first: 10, filter: {section: AUDIOVISUAL}) { edges { node { locale
  media { kind mimeType url width height durationSeconds captions { language label kind url } } } } } }"""
IMAGES = "{ lessons(first: 100) { edges { node { locale coverImage { kind caption } media { kind caption } } } } }"
SHELVES = (
    "{ lessons(first: 100, filter: {allLocales: true}) { totalCount edges { node { section locale coverImage { url } } } } "
    "stories { totalCount } }"
)


async def test_demo_content_loads_once_and_is_served(gql: GraphQLClient, settings: Settings) -> None:
    await seed_content.seed(settings)
    counts = (await ContentItem.all().count(), await MediaAsset.all().count())
    await seed_content.seed(settings)
    assert (await ContentItem.all().count(), await MediaAsset.all().count()) == counts
    assert await ContentItem.filter(content_type=ContentType.LESSON).count() >= 16
    data = await gql.ok(SHELVES)
    nodes = [e["node"] for e in data["lessons"]["edges"]]
    assert {n["section"] for n in nodes} == {
        "AUDIOVISUAL",
        "COURSEWARE",
        "ILLUSTRATED",
        "HANDBOOK",
    }
    assert {n["locale"] for n in nodes} >= {"zh-CN", "en"}
    assert data["stories"]["totalCount"] >= 5
    cover = next(n["coverImage"]["url"] for n in nodes if n["coverImage"])
    assert (await gql.http.get(cover)).status_code == 200
    found = await gql.ok('{ search(query: "冰毒") { totalCount } }')
    assert found["search"]["totalCount"] > 0
    await _videos_have_captions_and_images_chinese_captions(gql)


async def _videos_have_captions_and_images_chinese_captions(gql: GraphQLClient) -> None:
    """The seeded AUDIOVISUAL lessons carry H.264 videos with WebVTT tracks served as text/vtt; images in Chinese
    lessons carry Chinese captions (reuses the seed above: the demo seeds are among the slowest tests)."""
    shelf = [e["node"] for e in (await gql.ok(VIDEOS))["lessons"]["edges"]]
    chinese_av = [n for n in shelf if n["locale"] == "zh-CN"]
    assert chinese_av and all(any(m["kind"] == "VIDEO" for m in n["media"]) for n in chinese_av)
    videos = {m["url"]: m for n in shelf for m in n["media"] if m["kind"] == "VIDEO"}
    assert len(videos) >= 3
    for url, video in videos.items():
        assert video["mimeType"] == "video/mp4" and 10 <= video["durationSeconds"] <= 30
        assert (video["width"], video["height"]) == (480, 270)
        data = (await gql.http.get(url)).content
        assert data[4:8] == b"ftyp" and b"avc1" in data and b"mp4a" in data  # H.264 and AAC sample entries
        tracks = video["captions"]
        assert tracks[0]["language"] == "zh-CN" and tracks[0]["kind"] == "CAPTIONS" and tracks[0]["label"]
        for track in tracks:
            served = await gql.http.get(track["url"])
            assert served.status_code == 200 and served.headers["content-type"] == "text/vtt; charset=utf-8"
            assert served.content.startswith(b"WEBVTT")
            cues = parse_webvtt(served.content)
            assert [c.start for c in cues] == sorted(c.start for c in cues)
            assert cues[-1].end <= video["durationSeconds"] + 0.1
            if track["language"] == "zh-CN":
                assert all(CHINESE.search(c.text) for c in cues)
    lessons = [e["node"] for e in (await gql.ok(IMAGES))["lessons"]["edges"]]
    images = [
        m
        for n in lessons
        if n["locale"] == "zh-CN"
        for m in [*n["media"], n["coverImage"]]
        if m and m["kind"] == "IMAGE"
    ]
    assert images and all(m["caption"] and CHINESE.search(m["caption"]) for m in images)
