"""Caption tracks: editors add WebVTT files to video and audio, clients read them from MediaAsset.captions and
fetch them from /media as text/vtt; a bad file, a wrong kind of asset or a non-editor is refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from demo.media import VIDEO_DIR
from media import parse_webvtt
from models.base import Role
from models.content import CaptionTrack
from tests.accounts.factories import token_for
from tests.content.factories import editor_token, png_bytes, upload_ok
from tests.helpers import GraphQLClient

ADD_TRACK = """
mutation Add($mediaId: ID!, $file: Upload!, $input: CaptionTrackInput!) {
  addCaptionTrack(mediaId: $mediaId, file: $file, input: $input) {
    asset { id captions { language label kind url byteSize } }
    errors { field code message }
  }
}"""
REMOVE_TRACK = """
mutation Remove($mediaId: ID!, $language: String!, $kind: CaptionKind!) {
  removeCaptionTrack(mediaId: $mediaId, language: $language, kind: $kind) {
    asset { captions { language } } errors { field code }
  }
}"""
CAPTIONS = "query($id: ID!) { node(id: $id) { ... on MediaAsset { captions { language label kind url } } } }"
VTT = (
    "WEBVTT\n\n1\n00:00:00.500 --> 00:00:02.000\n珍爱生命\n\n2\n00:00:02.500 --> 00:00:04.000 align:center\n远离毒品\n"
)


async def add_track(
    gql: GraphQLClient, token: str, media_id: str, data: bytes, **track: Any
) -> tuple[int, dict[str, Any]]:
    """addCaptionTrack through the multipart spec, as an upload client sends it."""
    variables = {"mediaId": media_id, "file": None, "input": {"language": "zh-CN", "label": "中文", **track}}
    response = await gql.http.post(
        "/graphql",
        data={
            "operations": json.dumps({"query": ADD_TRACK, "variables": variables}),
            "map": '{"0": ["variables.file"]}',
        },
        files={"0": ("captions.vtt", data, "text/vtt")},
        headers={"Authorization": f"Bearer {token}", "Apollo-Require-Preflight": "true"},
    )
    return response.status_code, response.json()


async def test_an_editor_adds_replaces_and_removes_a_caption_track(gql: GraphQLClient, data_dir: Path) -> None:
    editor = await editor_token()
    video = await upload_ok(gql, editor, (VIDEO_DIR / "video-626.mp4").read_bytes(), "clip.mp4", transcript="珍爱生命")
    assert (video["kind"], video["width"], video["height"]) == ("VIDEO", 480, 270)  # from the MP4's track header
    status, body = await add_track(gql, editor, video["id"], VTT.encode())
    assert status == 200 and body["data"]["addCaptionTrack"]["errors"] == [], body
    (track,) = body["data"]["addCaptionTrack"]["asset"]["captions"]
    assert track == {
        "language": "zh-CN",
        "label": "中文",
        "kind": "CAPTIONS",
        "url": track["url"],
        "byteSize": len(VTT.encode()),
    }
    served = await gql.http.get(track["url"])
    assert served.status_code == 200 and served.headers["content-type"] == "text/vtt; charset=utf-8"
    assert served.headers["x-content-type-options"] == "nosniff" and served.text == VTT
    assert [cue.text for cue in parse_webvtt(served.content)] == ["珍爱生命", "远离毒品"]
    # Anyone reads the tracks of a public asset (the caption list is public like the asset).
    shown = (await gql.ok(CAPTIONS, {"id": video["id"]}))["node"]["captions"]
    assert [t["language"] for t in shown] == ["zh-CN"]

    # The same language and kind again replaces the track; another kind or language adds one.
    replaced = VTT.replace("远离毒品", "远离毒品！").encode()
    _, body = await add_track(gql, editor, video["id"], replaced, label="普通话")
    (track2,) = body["data"]["addCaptionTrack"]["asset"]["captions"]
    assert track2["label"] == "普通话" and track2["url"] != track["url"]
    assert (await gql.http.get(track["url"])).status_code == 404  # nothing names the old file now
    english = b"WEBVTT\n\n00:00.500 --> 00:02.000\nCherish life\n"
    _, body = await add_track(gql, editor, video["id"], english, language="en", label="English", kind="SUBTITLES")
    kinds = [(t["language"], t["kind"]) for t in body["data"]["addCaptionTrack"]["asset"]["captions"]]
    assert kinds == [("zh-CN", "CAPTIONS"), ("en", "SUBTITLES")]

    removed = await gql(REMOVE_TRACK, {"mediaId": video["id"], "language": "en", "kind": "SUBTITLES"}, token=editor)
    assert removed.data["removeCaptionTrack"]["asset"]["captions"] == [{"language": "zh-CN"}]
    again = await gql(REMOVE_TRACK, {"mediaId": video["id"], "language": "en", "kind": "SUBTITLES"}, token=editor)
    assert again.data["removeCaptionTrack"]["errors"] == [{"field": "language", "code": "NOT_FOUND"}]
    assert await CaptionTrack.all().count() == 1


async def test_caption_tracks_are_refused_for_bad_files_other_kinds_and_non_editors(gql: GraphQLClient) -> None:
    editor = await editor_token()
    video = await upload_ok(gql, editor, (VIDEO_DIR / "video-626.mp4").read_bytes(), "clip.mp4")
    image = await upload_ok(gql, editor, png_bytes(), "poster.png", altText="海报")
    refusals = [
        (video["id"], b"1\n00:00:01.000 --> 00:00:02.000\nno signature\n", {}, ("file", "UNSUPPORTED_FORMAT")),
        (video["id"], b"WEBVTT\n\n00:00:03.000 --> 00:00:02.000\nbackwards\n", {}, ("file", "UNSUPPORTED_FORMAT")),
        (
            video["id"],
            b"WEBVTT\n\n00:00:03.000 --> 00:00:04.000\nB\n\n00:00:01.000 --> 00:00:02.000\nA\n",
            {},
            ("file", "UNSUPPORTED_FORMAT"),
        ),
        (video["id"], b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n\xff\xfe\n", {}, ("file", "UNSUPPORTED_FORMAT")),
        (video["id"], VTT.encode(), {"language": "not a tag"}, ("input.language", "INVALID")),
        (image["id"], VTT.encode(), {}, ("mediaId", "INVALID")),
    ]
    for media_id, data, track, expected in refusals:
        _, body = await add_track(gql, editor, media_id, data, **track)
        errors = body["data"]["addCaptionTrack"]["errors"]
        assert [(e["field"], e["code"]) for e in errors] == [expected], (data, errors)
    learner = await token_for("learner", Role.LEARNER)
    _, body = await add_track(gql, learner, video["id"], VTT.encode())
    assert body["data"]["addCaptionTrack"]["errors"][0]["code"] == "FORBIDDEN"
    assert await CaptionTrack.all().count() == 0


async def test_editors_set_an_image_caption(gql: GraphQLClient) -> None:
    editor = await editor_token()
    image = await upload_ok(gql, editor, png_bytes(), "poster.png", altText="海报", caption="珍爱生命，远离毒品。")
    update = """mutation($id: ID!, $input: MediaInput!) {
      updateMedia(id: $id, input: $input) { asset { caption altText } errors { field code } } }"""
    assert (await gql.ok("query($id: ID!) { node(id: $id) { ... on MediaAsset { caption } } }", {"id": image["id"]}))[
        "node"
    ] == {"caption": "珍爱生命，远离毒品。"}
    changed = await gql.ok(update, {"id": image["id"], "input": {"caption": "拒绝毒品"}}, token=editor)
    assert changed["updateMedia"]["asset"] == {"caption": "拒绝毒品", "altText": "海报"}
    too_long = await gql.ok(update, {"id": image["id"], "input": {"caption": "长" * 501}}, token=editor)
    assert too_long["updateMedia"]["errors"] == [{"field": "input.caption", "code": "INVALID"}]
