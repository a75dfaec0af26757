"""The must-show story: an editor uploads an image and a PDF, writes a Chinese lesson, publishes it, and anyone can find and fetch it."""

from __future__ import annotations

from tests.content.factories import (
    create_lesson,
    editor_token,
    pdf_bytes,
    png_bytes,
    publish_lesson,
    upload_ok,
)
from tests.helpers import GraphQLClient

LESSONS_BY_SECTION = """
query Shelf($section: LessonSection) {
  lessons(filter: {section: $section}) {
    totalCount
    edges { node { id title slug locale section status publishedAt bodyHtml
      coverImage { url altText variantUrl(width: 300) } media { kind url mimeType } tags { slug name } } }
  }
}"""
SEARCH = """
query Search($q: String!) { search(query: $q) { totalCount edges { node { __typename id title } } } }"""


async def test_editor_uploads_writes_publishes_and_the_public_finds_and_fetches(
    gql: GraphQLClient,
) -> None:
    editor = await editor_token()
    image = png_bytes()
    pdf = pdf_bytes()
    cover = await upload_ok(gql, editor, image, "poster.png", title="海报", altText="一张禁毒宣传海报")
    courseware = await upload_ok(gql, editor, pdf, "courseware.pdf", title="课件")
    assert (cover["kind"], cover["mimeType"], cover["width"], cover["height"]) == (
        "IMAGE",
        "image/png",
        800,
        600,
    )
    assert courseware["kind"] == "DOCUMENT" and courseware["byteSize"] == len(pdf)

    lesson = await create_lesson(
        gql,
        editor,
        title="认识冰毒的危害",
        section="COURSEWARE",
        body="很多青少年不知道冰毒会损害大脑。<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>",
        coverImageId=cover["id"],
        mediaIds=[courseware["id"]],
        tags=["冰毒", "毒品危害"],
        audiences=["MIDDLE_SCHOOL"],
    )
    assert lesson["slug"] == "ren-shi-bing-du-de-wei-hai"
    assert lesson["locale"] == "zh-CN" and lesson["status"] == "DRAFT"
    published = await publish_lesson(gql, editor, lesson["id"])
    assert published["status"] == "PUBLISHED" and published["publishedAt"]

    shelf = (await gql.ok(LESSONS_BY_SECTION, {"section": "COURSEWARE"}))["lessons"]
    assert shelf["totalCount"] == 1
    node = shelf["edges"][0]["node"]
    assert node["title"] == "认识冰毒的危害"
    assert "<script" not in node["bodyHtml"] and "onerror" not in node["bodyHtml"]
    assert node["tags"] == [
        {"slug": "bing-du", "name": "冰毒"},
        {"slug": "du-pin-wei-hai", "name": "毒品危害"},
    ]
    assert node["coverImage"]["variantUrl"].endswith("/w320.png")
    assert (await gql.ok(LESSONS_BY_SECTION, {"section": "HANDBOOK"}))["lessons"]["totalCount"] == 0

    found = (await gql.ok(SEARCH, {"q": "冰毒"}))["search"]
    assert [e["node"]["id"] for e in found["edges"]] == [lesson["id"]]
    assert found["edges"][0]["node"]["__typename"] == "Lesson"

    image_url = node["coverImage"]["url"]
    whole = await gql.http.get(image_url)
    assert whole.status_code == 200 and whole.content == image
    assert whole.headers["content-type"] == "image/png"
    assert "immutable" in whole.headers["cache-control"]
    pdf_response = await gql.http.get(node["media"][0]["url"])
    assert pdf_response.status_code == 200 and pdf_response.content == pdf
    partial = await gql.http.get(image_url, headers={"Range": "bytes=0-99"})
    assert partial.status_code == 206 and partial.content == image[:100]
    assert partial.headers["content-range"] == f"bytes 0-99/{len(image)}"
    cached = await gql.http.get(image_url, headers={"If-None-Match": whole.headers["etag"]})
    assert cached.status_code == 304
    variant = await gql.http.get(node["coverImage"]["variantUrl"])
    assert variant.status_code == 200 and variant.headers["content-type"] == "image/png"
