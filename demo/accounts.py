"""Demo organizations and user accounts.

The passwords are for local development and demos only; ``beacon seed-demo``
must never run against a production database."""

from __future__ import annotations

from .experts import EXPERTS
from .shapes import DemoOrganization, DemoUser

ORGANIZATIONS: tuple[DemoOrganization, ...] = (
    DemoOrganization(
        key="org-authority",
        name="省禁毒戒毒工作管理局（演示）",
        kind="AGENCY",
        region="全省",
    ),
    DemoOrganization(
        key="org-school",
        name="明湖市第七中学（演示）",
        kind="SCHOOL",
        region="明湖市清河区",
    ),
    DemoOrganization(
        key="org-community",
        name="明湖市清河区清河街道社区戒毒社区康复工作站（演示）",
        kind="COMMUNITY",
        region="明湖市清河区",
    ),
    DemoOrganization(
        key="org-rehab-center",
        name="明湖市戒毒康复中心（演示）",
        kind="REHAB_CENTER",
        region="明湖市",
    ),
)

ORGANIZATIONS_BY_KEY: dict[str, DemoOrganization] = {o.key: o for o in ORGANIZATIONS}

EXPERT_PASSWORD = "beacon-demo-expert"
# The demo staff's (admin, experts) TOTP secret when the second factor is required: development only,
# printed by `beacon seed-demo`, so the demo and the browser tests can make codes.
STAFF_TOTP_SECRET = "BEACONDEMOSTAFFTOTPSECRET2345672"

# Usernames the other demo modules refer to.
ADMIN_USERNAME = "demo-admin"
EDITOR_USERNAME = "demo-editor"
TEACHER_USERNAME = "demo-teacher"
LEARNER_USERNAME = "demo-learner"
SECOND_LEARNER_USERNAME = "demo-learner2"
CLIENT_USERNAME = "demo-client"

USERS: tuple[DemoUser, ...] = (
    DemoUser(ADMIN_USERNAME, "平台管理员", ("ADMIN",), "org-authority", "beacon-demo-admin"),
    DemoUser(EDITOR_USERNAME, "王编辑", ("EDITOR",), "org-authority", "beacon-demo-editor"),
    DemoUser(TEACHER_USERNAME, "陈老师", ("TEACHER",), "org-school", "beacon-demo-teacher"),
    DemoUser(LEARNER_USERNAME, "林小雨", ("LEARNER",), "org-school", "beacon-demo-learner"),
    DemoUser(SECOND_LEARNER_USERNAME, "周子航", ("LEARNER",), "org-school", "beacon-demo-learner2"),
    DemoUser(CLIENT_USERNAME, "阿明（化名）", ("CLIENT",), "org-community", "beacon-demo-client"),
    *(
        DemoUser(
            username=e.username,
            display_name=e.display_name,
            roles=("EXPERT",),
            organization_key="org-rehab-center" if e.area == "REHABILITATION" else "org-authority",
            password=EXPERT_PASSWORD,
        )
        for e in EXPERTS
    ),
)

USERS_BY_USERNAME: dict[str, DemoUser] = {u.username: u for u in USERS}
