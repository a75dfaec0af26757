"""Teachers never learn who is in rehabilitation (issue 11, item 6): a person's account (username,
roles) is read by that person and by admins only, and a guessed user id answers as a missing one."""

from __future__ import annotations

from models.accounts import Organization
from models.base import Role
from schema.relay import to_global_id
from tests.accounts.factories import make_user, token_for
from tests.helpers import GraphQLClient

NODE = "query($id: ID!) { node(id: $id) { id ... on User { username displayName roles isActive } } }"


async def test_a_teacher_cannot_read_members_accounts_or_roles(gql: GraphQLClient) -> None:
    school = await Organization.create(name="第一中学", kind="SCHOOL")
    teacher = await token_for("wang", Role.TEACHER, organization_id=school.id)
    client = await make_user("xiaoming", Role.LEARNER, Role.CLIENT, organization_id=school.id)
    pupil = await make_user("pupil", Role.LEARNER, organization_id=school.id)
    missing = await gql(NODE, {"id": to_global_id("User", 99999)}, token=teacher)
    assert missing.status == 200 and missing.body == {"data": {"node": None}}
    for member in (client, pupil):
        seen = await gql(NODE, {"id": to_global_id("User", member.id)}, token=teacher)
        assert seen.body == missing.body, seen.body  # the same answer as a user that does not exist
    learner = await token_for("other", Role.LEARNER, organization_id=school.id)
    assert (await gql(NODE, {"id": to_global_id("User", client.id)}, token=learner)).body == missing.body
    # The person and admins still read it.
    admin = await token_for("root", Role.ADMIN)
    by_admin = await gql.ok(NODE, {"id": to_global_id("User", client.id)}, token=admin)
    assert by_admin["node"]["roles"] == ["CLIENT", "LEARNER"]
    teacher_self = await gql.ok("{ viewer { user { id } } }", token=teacher)
    own = await gql.ok(NODE, {"id": teacher_self["viewer"]["user"]["id"]}, token=teacher)
    assert own["node"]["username"] == "wang"
