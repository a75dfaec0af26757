"""The expert directory: groups, paging, and who may edit a profile."""

from __future__ import annotations

from typing import Any

from models.base import Role
from models.consultations import ExpertiseArea
from tests.accounts.factories import token_for
from tests.consultations import factories as f
from tests.content.factories import attachment_ok, pdf_bytes, png_bytes, upload_ok
from tests.helpers import GraphQLClient

GROUPS = """
query($locale: String) { expertGroups(locale: $locale) { area name description experts { displayName acceptingConsultations } } }"""
PHOTOS = "{ experts(first: 10) { edges { node { photo { url altText } } } } }"
EXPERTS = """
query($area: ExpertiseArea, $first: Int, $after: String) {
  experts(area: $area, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id displayName area specialties acceptingConsultations } }
  }
}"""
SAVE = """
mutation($input: ExpertProfileInput!) {
  saveExpertProfile(input: $input) { expert { id displayName title area specialties acceptingConsultations } errors { field code message } }
}"""
OPEN = """
mutation($input: OpenConsultationInput!) {
  openConsultation(input: $input) { consultation { id status } errors { field code message } }
}"""


async def test_four_groups_in_chinese_and_english(gql: GraphQLClient) -> None:
    await f.expert("xu1", ExpertiseArea.PSYCHOLOGICAL)
    await f.expert("cheng", ExpertiseArea.LEGAL, accepting=False)
    zh = (await gql.ok(GROUPS))["expertGroups"]
    assert [g["area"] for g in zh] == ["PSYCHOLOGICAL", "LEGAL", "EDUCATIONAL", "REHABILITATION"]
    assert [g["name"] for g in zh] == ["心理矫治", "法律咨询", "教育矫正", "康复训练"]
    assert zh[0]["experts"] == [{"displayName": "Dr Xu1", "acceptingConsultations": True}]
    assert zh[1]["experts"] == [{"displayName": "Dr Cheng", "acceptingConsultations": False}]
    en = (await gql.ok(GROUPS, {"locale": "en"}))["expertGroups"]
    assert en[1]["name"] == "Legal advice" and "Lawyers" in en[1]["description"]


async def test_experts_page_by_area_for_anyone(gql: GraphQLClient) -> None:
    for i in range(5):
        await f.expert(f"psy{i}", ExpertiseArea.PSYCHOLOGICAL)
    await f.expert("lawyer", ExpertiseArea.LEGAL)
    page = (await gql.ok(EXPERTS, {"area": "PSYCHOLOGICAL", "first": 3}))["experts"]
    assert page["totalCount"] == 5 and page["pageInfo"]["hasNextPage"]
    rest = (await gql.ok(EXPERTS, {"area": "PSYCHOLOGICAL", "first": 3, "after": page["pageInfo"]["endCursor"]}))[
        "experts"
    ]
    assert len(rest["edges"]) == 2 and not rest["pageInfo"]["hasNextPage"]
    assert (await gql.ok(EXPERTS))["experts"]["totalCount"] == 6


async def test_admin_creates_a_profile_and_the_expert_edits_their_own(gql: GraphQLClient) -> None:
    admin = await token_for("root", Role.ADMIN)
    somebody = await f.person("xu1", Role.EXPERT)
    created = (
        await gql.ok(
            SAVE,
            {
                "input": {
                    "userId": f.gid("User", somebody.user_id),
                    "displayName": "许静怡",
                    "area": "PSYCHOLOGICAL",
                    "specialties": ["成瘾心理", " "],
                }
            },
            token=admin,
        )
    )["saveExpertProfile"]
    assert created["errors"] == []
    assert created["expert"]["specialties"] == ["成瘾心理"] and created["expert"]["acceptingConsultations"] is True
    own = (
        await gql.ok(
            SAVE,
            {
                "input": {
                    "userId": f.gid("User", somebody.user_id),
                    "displayName": "许静怡",
                    "title": "心理咨询师",
                    "area": "PSYCHOLOGICAL",
                    "acceptingConsultations": False,
                }
            },
            token=somebody.token,
        )
    )["saveExpertProfile"]
    assert own["errors"] == [] and own["expert"]["id"] == created["expert"]["id"]
    assert own["expert"]["title"] == "心理咨询师" and own["expert"]["acceptingConsultations"] is False


async def test_nobody_else_edits_a_profile_and_only_experts_have_one(gql: GraphQLClient) -> None:
    xu = await f.expert("xu1")
    other = await f.expert("other")
    for token in (other.token, await token_for("teach", Role.TEACHER), await token_for("editor", Role.EDITOR), None):
        result = (
            await gql.ok(
                SAVE,
                {"input": {"userId": f.gid("User", xu.user_id), "displayName": "hacked", "area": "LEGAL"}},
                token=token,
            )
        )["saveExpertProfile"]
        # Signed out: sign in first (docs/api-guide.md, "Not allowed"); signed in without the right: FORBIDDEN.
        assert result["errors"][0]["code"] == ("UNAUTHENTICATED" if token is None else "FORBIDDEN")
    learner = await f.person("learner", Role.LEARNER)
    admin = await token_for("root", Role.ADMIN)
    refused = (
        await gql.ok(
            SAVE,
            {"input": {"userId": f.gid("User", learner.user_id), "displayName": "L", "area": "LEGAL"}},
            token=admin,
        )
    )["saveExpertProfile"]
    assert refused["errors"] == [
        {"field": "input.userId", "code": "INVALID", "message": "That user does not have the EXPERT role."}
    ]
    await xu.profile.refresh_from_db()
    assert xu.profile.display_name == "Dr Xu1"


async def test_an_expert_not_accepting_is_listed_but_cannot_be_chosen(gql: GraphQLClient) -> None:
    away = await f.expert("away", accepting=False)
    me = await f.client("ming")
    result = (
        await gql.ok(OPEN, {"input": {"expertId": away.gid, "subject": "求助", "message": "你好"}}, token=me.token)
    )["openConsultation"]
    assert result["consultation"] is None
    assert result["errors"][0]["field"] == "input.expertId" and result["errors"][0]["code"] == "INVALID"
    listed = (await gql.ok(EXPERTS))["experts"]["edges"]
    assert listed[0]["node"]["acceptingConsultations"] is False


async def test_an_expert_photo_is_an_image_from_the_media_library(gql: GraphQLClient) -> None:
    admin = await token_for("admin", Role.ADMIN)
    editor = await token_for("editor", Role.EDITOR)
    xu = await f.expert("xudoctor")
    portrait = await upload_ok(gql, editor, png_bytes(), "xu.png", altText="许医生")
    document = await upload_ok(gql, editor, pdf_bytes(), "cv.pdf")
    private = await attachment_ok(gql, xu.token, png_bytes(color="red"), "mine.png")

    def save(photo_id: str) -> dict[str, Any]:
        return {
            "input": {
                "userId": f.gid("User", xu.user_id),
                "displayName": "许医生",
                "area": "PSYCHOLOGICAL",
                "photoId": photo_id,
            }
        }

    for refused, code in ((document["id"], "INVALID"), (private["id"], "NOT_FOUND"), (f.gid("Lesson", 1), "INVALID")):
        result = (await gql.ok(SAVE, save(refused), token=admin))["saveExpertProfile"]
        assert [(e["field"], e["code"]) for e in result["errors"]] == [("input.photoId", code)], refused
    saved = (await gql.ok(SAVE, save(portrait["id"]), token=xu.token))["saveExpertProfile"]
    assert saved["errors"] == []
    listed = (await gql.ok(PHOTOS))["experts"]["edges"]
    assert [e["node"]["photo"] for e in listed] == [{"url": portrait["url"], "altText": "许医生"}]


OWN_PROFILE = "{ viewer { expertProfile { id displayName area } } }"


async def test_an_expert_finds_their_own_profile_through_the_viewer(gql: GraphQLClient) -> None:
    xu = await f.expert("xu1")
    await f.expert("other")
    own = (await gql.ok(OWN_PROFILE, token=xu.token))["viewer"]["expertProfile"]
    assert own == {"id": xu.gid, "displayName": xu.display_name, "area": "PSYCHOLOGICAL"}
    client = await f.client("client1")
    assert (await gql.ok(OWN_PROFILE, token=client.token))["viewer"]["expertProfile"] is None
