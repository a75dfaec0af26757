"""Every example of docs/api-guide.md runs against the demo data and answers what the page says.

A ```graphql block may start with `# as: <demo username>` (else it runs anonymously), or
`# bearer: <text>` (sent as the Authorization header's token as it is, to show a refused one),
`# variables: {json}` and `# headers: {json}` (request headers, e.g. Accept-Language); the ```json
block right after it is the expected answer: every key written must be there with that value ("…" stands for any value; inside a string, for any text there:
"/media/…/w320.png"), lists match item by item, an error is compared on the keys written
(message, path, extensions), and an answer shown without "errors" must have none.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from demo.seed import seed_demo
from models.accounts import User
from resolvers import accounts
from settings import Settings
from tests.helpers import GraphQLClient
from tests.live import ROOT

GUIDE = ROOT / "docs" / "api-guide.md"
BLOCK = re.compile(r"```(graphql|json)\n(.*?)```", re.DOTALL)
ANY = "…"


@dataclass(frozen=True)
class Example:
    line: int
    document: str
    username: str | None
    bearer: str | None
    variables: dict[str, Any]
    headers: dict[str, str]
    expected: Any


def examples(path: Path = GUIDE) -> list[Example]:
    """The guide's graphql blocks, each with the json block that follows it."""
    text = path.read_text(encoding="utf-8")
    blocks = [(m.group(1), m.group(2), text.count("\n", 0, m.start()) + 1) for m in BLOCK.finditer(text)]
    found = []
    for index, (kind, body, line) in enumerate(blocks):
        if kind != "graphql":
            continue
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        assert following is not None and following[0] == "json", f"docs/api-guide.md:{line}: no answer after it"
        username = re.search(r"^# as: (\S+)$", body, re.MULTILINE)
        bearer = re.search(r"^# bearer: (\S+)$", body, re.MULTILINE)
        variables = re.search(r"^# variables: (.*)$", body, re.MULTILINE)
        headers = re.search(r"^# headers: (.*)$", body, re.MULTILINE)
        found.append(
            Example(
                line=line,
                document=body,
                username=username.group(1) if username else None,
                bearer=bearer.group(1) if bearer else None,
                variables=json.loads(variables.group(1)) if variables else {},
                headers=json.loads(headers.group(1)) if headers else {},
                expected=json.loads(following[1]),
            )
        )
    return found


def mismatch(expected: Any, actual: Any, path: str = "") -> str | None:
    """Where the answer differs from what the page shows, or None."""
    if expected == ANY:
        return None
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return f"{path or '.'}: expected an object, got {actual!r}"
        for key, value in expected.items():
            if key not in actual:
                return f"{path}.{key}: missing"
            problem = mismatch(value, actual[key], f"{path}.{key}")
            if problem:
                return problem
        return None
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return f"{path}: expected {len(expected)} items, got {actual!r}"
        for index, (want, got) in enumerate(zip(expected, actual, strict=True)):
            problem = mismatch(want, got, f"{path}[{index}]")
            if problem:
                return problem
        return None
    if isinstance(expected, str) and ANY in expected and isinstance(actual, str):
        pattern = ".*".join(re.escape(part) for part in expected.split(ANY))
        return None if re.fullmatch(pattern, actual, re.DOTALL) else f"{path}: expected {expected!r}, got {actual!r}"
    return None if expected == actual else f"{path}: expected {expected!r}, got {actual!r}"


async def test_every_example_answers_what_the_guide_shows(gql: GraphQLClient, settings: Settings) -> None:
    await seed_demo(settings)
    found = examples()
    assert len(found) >= 4
    tokens: dict[str, str] = {}
    for example in found:
        token = example.bearer
        if example.username is not None:
            if example.username not in tokens:
                user = await User.get(username_key=example.username)
                tokens[example.username] = (await accounts._open_session(user)).token
            token = tokens[example.username]
        answer = await gql(example.document, example.variables, token=token, headers=example.headers)
        # 401 only for a refused credential, which an example sends on purpose.
        assert answer.status in ((200, 400, 401) if example.bearer else (200, 400)), answer.body
        if "errors" not in example.expected:
            assert not answer.errors, f"docs/api-guide.md:{example.line}: {answer.body}"
        problem = mismatch(example.expected, answer.body)
        assert problem is None, (
            f"docs/api-guide.md:{example.line}: {problem}\n{json.dumps(answer.body, ensure_ascii=False)}"
        )


def test_the_matcher_finds_differences() -> None:
    assert mismatch({"a": ANY, "b": [1]}, {"a": 5, "b": [1], "c": 0}) is None
    assert mismatch({"a": 1}, {"a": 2}) == ".a: expected 1, got 2"
    assert mismatch({"a": [1]}, {"a": [1, 2]}) is not None
    assert mismatch({"a": 1}, {}) == ".a: missing"
    assert mismatch("/media/…/w320.png", "/media/ab12/w320.png") is None
    assert mismatch("/media/…/w320.png", "/media/ab12/w640.png") is not None
    assert mismatch("…?viewer=…&sig=…", "/media/a.png?viewer=1.2.3&sig=ff") is None
    assert mismatch("/media/…", 5) is not None
