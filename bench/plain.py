"""Plain graphql-core over the same data already in memory: the stack's own ceiling for scenario 1.

Run as: uvicorn --factory bench.plain:app_factory with BEACON_DATABASE_URL pointing to the bench
SQLite file. Lessons, tags and media are read once into dicts at start; each request parses
(cached by document text, as a fair plain server would), validates once, executes with
graphql-core's default resolvers over dicts, and answers with orjson.
"""

from __future__ import annotations

import base64
import os
import sqlite3
from collections import defaultdict
from pathlib import Path
from typing import Any

import orjson
from graphql import build_schema, execute, parse, validate
from graphql.language import DocumentNode
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

ROOT = Path(__file__).resolve().parent.parent


def _gid(type_name: str, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode().rstrip("=")


def _media(row: sqlite3.Row) -> dict[str, Any]:
    url = f"/media/{row['sha256']}{row['extension']}"
    image = row["kind"] == "IMAGE"
    return {
        "id": _gid("MediaAsset", row["id"]),
        "kind": row["kind"],
        "title": row["title"],
        "altText": row["alt_text"],
        "mimeType": row["mime_type"],
        "byteSize": row["byte_size"],
        "sha256": row["sha256"],
        "width": row["width"],
        "height": row["height"],
        "durationSeconds": row["duration_seconds"],
        "url": url,
        "variantUrl": lambda _info, width: f"/media/{row['sha256']}/w{width}{row['extension']}" if image else None,
    }


def load_lessons(path: str) -> list[dict[str, Any]]:
    """Published lessons, newest first, each with its tags, cover and media as plain dicts."""
    db = sqlite3.connect(path)
    db.row_factory = sqlite3.Row
    media = {r["id"]: _media(r) for r in db.execute("SELECT * FROM media_asset")}
    tags = {
        r["id"]: {"id": _gid("Tag", r["id"]), "slug": r["slug"], "name": r["name"]}
        for r in db.execute("SELECT * FROM content_tag")
    }
    item_tags: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in db.execute("SELECT content_id, tag_id FROM content_item_tag ORDER BY id"):
        item_tags[r[0]].append(tags[r[1]])
    item_media: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in db.execute("SELECT content_id, media_id FROM content_item_media ORDER BY position"):
        item_media[r[0]].append(media[r[1]])
    rows = db.execute(
        "SELECT * FROM content_item WHERE content_type = 'LESSON' AND status = 'PUBLISHED' ORDER BY published_at DESC, created_at DESC, id DESC"
    ).fetchall()
    db.close()
    return [
        {
            "id": _gid("Lesson", r["id"]),
            "title": r["title"],
            "summary": r["summary"],
            "section": r["section"],
            "audiences": orjson.loads(r["audiences"]),
            "estimatedMinutes": r["estimated_minutes"],
            "publishedAt": r["published_at"],
            "tags": item_tags[r["id"]],
            "coverImage": media.get(r["cover_image_id"]),
            "media": item_media[r["id"]],
            "_key": r["audience_key"],
        }
        for r in rows
    ]


def app_factory() -> Starlette:
    schema = build_schema((ROOT / "schema.graphql").read_text())
    lessons = load_lessons(os.environ["BEACON_DATABASE_URL"].removeprefix("sqlite://"))

    def resolve_lessons(_info: Any, first: int = 20, filter: dict[str, Any] | None = None, **_: Any) -> dict[str, Any]:
        audience = (filter or {}).get("audience")
        chosen = [x for x in lessons if audience is None or f"|{audience}|" in x["_key"]][:first]
        return {
            "edges": [{"cursor": x["id"], "node": x} for x in chosen],
            "pageInfo": {
                "hasNextPage": True,
                "endCursor": chosen[-1]["id"] if chosen else None,
                "hasPreviousPage": False,
                "startCursor": None,
            },
        }

    root = {"lessons": resolve_lessons}
    documents: dict[str, DocumentNode] = {}

    async def endpoint(request: Request) -> Response:
        body = (
            orjson.loads(await request.body())
            if request.method == "POST"
            else {
                "query": request.query_params["query"],
                "variables": orjson.loads(request.query_params.get("variables") or "{}"),
            }
        )
        text = body["query"]
        document = documents.get(text)
        if document is None:
            document = parse(text)
            errors = validate(schema, document)
            if errors:
                return Response(
                    orjson.dumps({"errors": [e.formatted for e in errors]}), 400, media_type="application/json"
                )
            documents[text] = document
        result = execute(schema, document, root_value=root, variable_values=body.get("variables"))
        payload: dict[str, Any] = {"data": result.data}
        if result.errors:
            payload["errors"] = [e.formatted for e in result.errors]
        return Response(orjson.dumps(payload), media_type="application/json")

    return Starlette(routes=[Route("/graphql", endpoint, methods=["GET", "POST"])])
