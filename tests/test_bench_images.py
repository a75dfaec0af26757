"""The image bench's requests are what it claims: the bomb upload is refused, and answers are read right."""

from __future__ import annotations

import httpx

from bench.images import _answer, multipart
from tests.content.factories import editor_token
from tests.helpers import GraphQLClient
from tests.media.media_samples import png_bomb


async def test_the_bench_upload_is_a_valid_multipart_request_refused_as_too_large(gql: GraphQLClient) -> None:
    body, headers = multipart(png_bomb(8000, 8000), "bomb.png")

    response = await gql.http.post(
        "/graphql", content=body, headers={**headers, "authorization": f"Bearer {await editor_token()}"}
    )

    assert _answer(response) == "200 TOO_LARGE"


def test_answers_are_read_from_top_level_and_payload_errors() -> None:
    request = httpx.Request("GET", "http://b/")
    top = httpx.Response(
        429, json={"errors": [{"message": "x", "extensions": {"code": "RATE_LIMITED"}}]}, request=request
    )
    ok = httpx.Response(200, json={"data": {"__typename": "Query"}}, request=request)
    image = httpx.Response(200, content=b"\x89PNG", headers={"content-type": "image/png"}, request=request)

    assert [_answer(top), _answer(ok), _answer(image)] == ["429 RATE_LIMITED", "200", "200"]
