"""The experts' pages in Chromium: the live inbox, the thread (replies that are never lost or
doubled, attachments shown through the authenticated media fetch), the e-mail notice's link,
help plan with its history, visits, and the expert's own profile."""

from __future__ import annotations

import json
import secrets
from typing import Any
from urllib.parse import urlsplit

import httpx

from demo.experts import EXPERTS
from tests.console.conftest import Watched, axe_violations, graphql, sign_in
from tests.content.factories import png_bytes
from tests.realtime import CEILING, GraphQLWs, graphql_ws

EXPERT_PASSWORD = "beacon-demo-expert"
EXPERT_IDS = "{ experts(first: 50) { edges { node { id displayName } } } }"
REGISTER = """mutation($i: RegisterInput!) { register(input: $i) { token errors { field message } } }"""
NOTICE = "{ privacyNotice { version } }"
ACCEPT = "mutation($v: Int!) { acceptPrivacyNotice(version: $v) { errors { message } } }"
OPEN = """mutation($i: OpenConsultationInput!) {
  openConsultation(input: $i) { consultation { id } errors { field message code } } }"""
SEND = """mutation($i: SendMessageInput!) { sendMessage(input: $i) { message { id } errors { field message code } } }"""
BODIES = """query($id: ID!) { consultation(id: $id) { messages(first: 100) { edges { node { body author { isExpert } } } } } }"""
ADDED = "subscription($id: ID!) { messageAdded(consultationId: $id) { body author { isExpert } } }"
MS = 1000


async def new_client(api: httpx.AsyncClient) -> str:
    """A freshly registered CLIENT who accepted the privacy notice (each test its own: daily limits)."""
    username = f"client-{secrets.token_hex(4)}"
    data = await graphql(
        api,
        REGISTER,
        {
            "i": {
                "username": username,
                "password": "a-long-client-password",
                "displayName": "小林（化名）",
                "role": "CLIENT",
            }
        },
    )
    token = str(data["register"]["token"])
    version = (await graphql(api, NOTICE))["privacyNotice"]["version"]
    assert (await graphql(api, ACCEPT, {"v": version}, token=token))["acceptPrivacyNotice"]["errors"] == []
    return token


async def expert_id(api: httpx.AsyncClient, username: str) -> str:
    name = next(e.display_name for e in EXPERTS if e.username == username)
    edges = (await graphql(api, EXPERT_IDS))["experts"]["edges"]
    return next(str(e["node"]["id"]) for e in edges if e["node"]["displayName"] == name)


async def open_consultation(api: httpx.AsyncClient, token: str, expert: str, subject: str, body: str) -> str:
    data = await graphql(
        api, OPEN, {"i": {"expertId": await expert_id(api, expert), "subject": subject, "message": body}}, token=token
    )
    assert data["openConsultation"]["errors"] == [], data
    return str(data["openConsultation"]["consultation"]["id"])


async def bodies(api: httpx.AsyncClient, token: str, consultation_id: str) -> list[str]:
    data = await graphql(api, BODIES, {"id": consultation_id}, token=token)
    return [e["node"]["body"] for e in data["consultation"]["messages"]["edges"]]


async def next_body(socket: GraphQLWs) -> str:
    message = await socket.receive()
    assert message["type"] == "next", message
    return str(message["payload"]["data"]["messageAdded"]["body"])


async def test_live_inbox_reply_to_the_clients_socket_and_a_network_drop_sends_once(
    page: Any, context: Any, api: httpx.AsyncClient, watched: Watched, console_server: Any
) -> None:
    watched.allowed_console_errors += ["net::ERR_INTERNET_DISCONNECTED", "WebSocket"]
    expert = "expert-songxiaolan"
    client = await new_client(api)
    await sign_in(page, expert, EXPERT_PASSWORD)
    await page.get_by_role("navigation").get_by_role("link", name="咨询收件箱").click()
    await page.get_by_role("heading", name="咨询收件箱").wait_for()
    await page.locator(".paged-table[aria-busy='false']").wait_for()
    assert await axe_violations(page) == []

    # The client writes through the API; the open inbox shows it without a reload.
    subject = f"夜里总睡不着 {secrets.token_hex(3)}"
    consultation = await open_consultation(api, client, expert, subject, "最近换了班，晚上很难入睡。")
    row = page.get_by_role("row").filter(has_text=subject)
    await row.wait_for(timeout=CEILING * MS)
    await row.get_by_text("最近换了班，晚上很难入睡。").wait_for(timeout=CEILING * MS)
    await row.get_by_text("1 条未读").wait_for(timeout=CEILING * MS)

    async with graphql_ws(urlsplit(console_server.url).netloc, client) as socket:
        await socket.subscribe(ADDED, {"id": consultation})
        # The client's own second message proves the subscription is live before the expert answers.
        sent = await graphql(
            api,
            SEND,
            {"i": {"consultationId": consultation, "body": "白天也没精神。", "clientMessageId": "c-2"}},
            token=client,
        )
        assert sent["sendMessage"]["errors"] == []
        assert await next_body(socket) == "白天也没精神。"
        await row.get_by_text("白天也没精神。").wait_for(timeout=CEILING * MS)
        await row.get_by_text("2 条未读").wait_for(timeout=CEILING * MS)

        # The expert opens the thread and replies; the network goes away as they send.
        await row.get_by_role("link", name=subject).click()
        await page.get_by_role("heading", name=subject).wait_for()
        assert await axe_violations(page) == []
        reply = page.get_by_label("回复", exact=True)
        await reply.fill("先试试睡前一小时放下手机。")
        await context.set_offline(True)
        await page.get_by_role("button", name="发送").click()
        failed = page.locator(".message-failed").filter(has_text="先试试睡前一小时放下手机。")
        await failed.wait_for()
        await failed.get_by_role("button", name="重试").wait_for()
        await page.get_by_text("与服务器的连接已中断").wait_for()
        assert await reply.input_value() == ""  # the text is in the outbox, on screen, not lost
        await context.set_offline(False)
        # Back online, it is sent by itself, exactly once, and reaches the client's subscription.
        assert await next_body(socket) == "先试试睡前一小时放下手机。"
        await (
            page.locator(".thread-sent li.message-mine")
            .filter(has_text="先试试睡前一小时放下手机。")
            .first.wait_for(timeout=CEILING * MS)
        )
        await page.locator(".message-failed").wait_for(state="detached", timeout=CEILING * MS)
    assert (await bodies(api, client, consultation)).count("先试试睡前一小时放下手机。") == 1
    assert await page.locator(".thread-sent li").filter(has_text="先试试睡前一小时放下手机。").count() == 1
    assert await page.evaluate(f"sessionStorage.getItem('beacon.console.outbox.{consultation}')") is None


async def test_a_reply_whose_answer_is_lost_is_retried_with_the_same_key_and_written_once(
    page: Any, api: httpx.AsyncClient, watched: Watched
) -> None:
    watched.allowed_console_errors += ["Failed to load resource", "net::ERR_FAILED"]
    expert = "expert-dengchu"
    client = await new_client(api)
    consultation = await open_consultation(api, client, expert, "想和家里人好好谈谈", "不知道怎么开口。")
    await sign_in(page, expert, EXPERT_PASSWORD)
    await page.goto(f"/console/#/consultations/{consultation}")
    await page.get_by_role("heading", name="想和家里人好好谈谈").wait_for()

    seen: list[str] = []

    async def lose_the_answer(route: Any) -> None:
        body = route.request.post_data or ""
        if "ConsoleSendMessage" in body and not seen:
            seen.append(json.loads(body)["variables"]["input"]["clientMessageId"])
            await route.fetch()  # the server writes the message ...
            await route.abort("failed")  # ... and the browser never hears back
            return
        await route.fallback()

    await page.route("**/graphql", lose_the_answer)
    await page.get_by_label("回复", exact=True).fill("可以先写一封信给妈妈。")
    await page.get_by_role("button", name="发送").click()
    assert (await bodies(api, client, consultation)).count("可以先写一封信给妈妈。") in (0, 1)
    await (
        page.locator(".thread-sent li.message-mine")
        .filter(has_text="可以先写一封信给妈妈。")
        .first.wait_for(timeout=CEILING * MS)
    )
    await page.locator(".thread-pending li").wait_for(state="detached", timeout=CEILING * MS)
    assert seen, "the first send was not intercepted"
    assert (await bodies(api, client, consultation)).count("可以先写一封信给妈妈。") == 1
    assert await page.locator(".thread-sent li").filter(has_text="可以先写一封信给妈妈。").count() == 1


async def test_the_notice_link_signs_in_and_replies_with_the_keyboard_alone(page: Any, api: httpx.AsyncClient) -> None:
    expert = "expert-ouyanghui"
    client = await new_client(api)
    consultation = await open_consultation(api, client, expert, "法律上的问题", "社区康复期间可以外出打工吗？")
    # The e-mail notice's link (resolvers/integrations/notices.py) opens sign-in, then the thread.
    await page.goto(f"/console/#/consultations/{consultation}")
    await page.get_by_role("heading", name="登录 Beacon 工作台").wait_for()
    await page.keyboard.type(expert)
    await page.keyboard.press("Tab")
    await page.keyboard.type(EXPERT_PASSWORD)
    await page.keyboard.press("Enter")
    await page.get_by_role("heading", name="法律上的问题").wait_for()
    # Focus starts in the reply box; Tab reaches Send; Enter sends.
    assert await page.evaluate("document.activeElement.getAttribute('aria-describedby') !== null")
    assert await page.evaluate("document.activeElement.tagName") == "TEXTAREA"
    await page.keyboard.type("可以，但要先向社区报备。")
    for _ in range(5):
        await page.keyboard.press("Tab")
        if await page.evaluate("document.activeElement.textContent") == "发送":
            break
    assert await page.evaluate("document.activeElement.textContent") == "发送"
    await page.keyboard.press("Enter")
    await page.locator(".thread-sent li.message-mine").filter(has_text="可以，但要先向社区报备。").wait_for()
    assert (await bodies(api, client, consultation)).count("可以，但要先向社区报备。") == 1
    # The client's message was marked read by the expert opening the thread.
    data = await graphql(
        api,
        "query($id: ID!) { consultation(id: $id) { messages(first: 1) { edges { node { readAt } } } } }",
        {"id": consultation},
        token=client,
    )
    assert data["consultation"]["messages"]["edges"][0]["node"]["readAt"] is not None


async def test_a_draft_survives_a_reload_and_an_image_attachment_shows_inline(
    page: Any, api: httpx.AsyncClient
) -> None:
    expert = "expert-chenglifeng"
    client = await new_client(api)
    consultation = await open_consultation(api, client, expert, "看看这张通知", "居委会发的通知，我看不太懂。")
    await sign_in(page, expert, EXPERT_PASSWORD)
    await page.goto(f"/console/#/consultations/{consultation}")
    reply = page.get_by_label("回复", exact=True)
    await reply.fill("我看一下，稍等。")
    await page.reload()
    await page.get_by_text("已恢复未发送的草稿").wait_for()
    assert await page.get_by_label("回复", exact=True).input_value() == "我看一下，稍等。"

    await page.get_by_label("附件（可选）").set_input_files(
        {"name": "通知.png", "mimeType": "image/png", "buffer": png_bytes()}
    )
    await page.get_by_role("button", name="发送").click()
    mine = page.locator(".thread-sent li.message-mine").filter(has_text="我看一下，稍等。")
    image = mine.locator("img.attachment-image")
    await image.wait_for()
    await page.wait_for_function(
        "img => img.src.startsWith('blob:') && img.complete && img.naturalWidth > 0", arg=await image.element_handle()
    )
    data = await graphql(
        api,
        "query($id: ID!) { consultation(id: $id) { lastMessage { attachments { url } } } }",
        {"id": consultation},
        token=client,
    )
    url = data["consultation"]["lastMessage"]["attachments"][0]["url"]
    assert (await api.get(url)).status_code == 404  # private: not without the parties' bearer token


async def test_help_plan_revisions_visits_and_own_profile(page: Any, api: httpx.AsyncClient) -> None:
    expert = "expert-liangsumei"
    client = await new_client(api)
    consultation = await open_consultation(api, client, expert, "想找份工作", "有案底还能找什么工作？")
    await sign_in(page, expert, EXPERT_PASSWORD)
    await page.goto(f"/console/#/consultations/{consultation}")
    plan = page.get_by_role("region", name="帮扶计划")
    await plan.get_by_label("目标").fill("三个月内找到一份稳定的工作。")
    await plan.get_by_role("button", name="添加措施").click()
    await plan.get_by_label("措施 1").fill("参加街道的职业技能培训")
    await plan.get_by_role("button", name="保存新版本").click()
    await page.get_by_text("帮扶计划已保存为第 1 版").wait_for()
    await plan.get_by_label("目标").fill("三个月内找到一份稳定的工作，并坚持半年。")
    await plan.get_by_role("button", name="保存新版本").click()
    await page.get_by_text("帮扶计划已保存为第 2 版").wait_for()
    history = plan.locator(".plan-revisions > li")
    assert await history.count() == 2
    await plan.get_by_text("第 1 版").click()
    await plan.get_by_text("三个月内找到一份稳定的工作。", exact=True).wait_for()
    # A live update (the client writes) redraws the history: the revision being read stays open.
    sent = await graphql(
        api, SEND, {"i": {"consultationId": consultation, "body": "谢谢老师，我去报名。"}}, token=client
    )
    assert sent["sendMessage"]["errors"] == [], sent
    await page.get_by_text("谢谢老师，我去报名。").wait_for()
    assert await plan.get_by_text("三个月内找到一份稳定的工作。", exact=True).is_visible()
    # An empty measure is refused next to its field.
    await plan.get_by_role("button", name="添加措施").click()
    await plan.get_by_role("button", name="保存新版本").click()
    await plan.locator(".field-error:not([hidden])").first.wait_for()
    assert await plan.get_by_label("措施 2").get_attribute("aria-invalid") == "true"
    await plan.get_by_role("button", name="删除措施 2").click()

    visits = page.get_by_role("region", name="走访")
    await visits.locator("summary", has_text="申请走访").click()
    await visits.get_by_label("地点").fill("清河街道工作站")
    await visits.get_by_role("button", name="申请走访").click()
    await visits.get_by_text("已申请").wait_for()
    await visits.get_by_role("button", name="安排").click()
    dialog = page.get_by_role("dialog", name="安排走访")
    await dialog.get_by_label("时间").fill("2030-05-06T10:00")
    await dialog.get_by_label("地点").fill("清河街道工作站二楼")
    await dialog.get_by_role("button", name="安排").click()
    await visits.get_by_text("已安排").wait_for()
    await visits.get_by_role("button", name="标记完成").click()
    await visits.get_by_text("已完成").wait_for()
    data = await graphql(
        api,
        "query($id: ID!) { consultation(id: $id) { visits { status location } helpPlan { revision } } }",
        {"id": consultation},
        token=client,
    )
    assert data["consultation"]["visits"] == [{"status": "DONE", "location": "清河街道工作站二楼"}]
    assert data["consultation"]["helpPlan"]["revision"] == 2

    await page.get_by_role("navigation").get_by_role("link", name="我的专家资料").click()
    await page.get_by_label("职称").fill("执业律师")
    await page.get_by_role("button", name="保存").click()
    await page.get_by_text("资料已保存").wait_for()
    found = await graphql(api, EXPERT_IDS.replace("id displayName", "displayName title"))
    titles = {e["node"]["displayName"]: e["node"]["title"] for e in found["experts"]["edges"]}
    assert titles[next(e.display_name for e in EXPERTS if e.username == expert)] == "执业律师"


async def test_a_revoked_session_asks_to_sign_in_again_over_the_thread_and_keeps_the_reply(
    page: Any, api: httpx.AsyncClient, watched: Watched
) -> None:
    watched.allowed_console_errors.append("401")
    expert = "expert-fanzhiyuan"
    client = await new_client(api)
    consultation = await open_consultation(api, client, expert, "想戒烟也想戒酒", "一起戒会不会太难？")
    await sign_in(page, expert, EXPERT_PASSWORD)
    await page.goto(f"/console/#/consultations/{consultation}")
    reply = page.get_by_label("回复", exact=True)
    await reply.fill("一步一步来，先定一个小目标。")
    token = await page.evaluate("sessionStorage.getItem('beacon.console.token')")
    await graphql(api, "mutation { logout { ok } }", token=token)  # the session ends elsewhere
    # The thread's live socket is closed (4401): the sign-in dialog says why, over the page.
    dialog = page.get_by_role("dialog", name="请重新登录")
    await dialog.get_by_text("此会话已被撤销").wait_for(timeout=CEILING * MS)
    assert await dialog.get_by_label("用户名").input_value() == expert
    await dialog.get_by_label("密码").fill(EXPERT_PASSWORD)
    await dialog.get_by_role("button", name="登录", exact=True).click()
    await dialog.wait_for(state="detached")
    # The same person again: what they typed is still there, and the reply goes out once.
    assert await reply.input_value() == "一步一步来，先定一个小目标。"
    await page.get_by_role("button", name="发送").click()
    await (
        page.locator(".thread-sent li.message-mine")
        .filter(has_text="一步一步来，先定一个小目标。")
        .wait_for(timeout=CEILING * MS)
    )
    assert (await bodies(api, client, consultation)).count("一步一步来，先定一个小目标。") == 1
