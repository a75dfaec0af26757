"""The console and GraphiQL pages: served by Beacon, 'self'-only policies, cache headers that never mix versions."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

import assets
import pages
from server import create_app
from settings import Settings
from tests.helpers import TEST_DATA_KEY

CONSOLE = (
    "default-src 'self'; img-src 'self' blob:; media-src 'self' blob:; object-src"
    " 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)


def directives(policy: str) -> dict[str, list[str]]:
    parsed = (d.split() for d in policy.split(";") if d.strip())
    return {d[0]: d[1:] for d in parsed}


async def test_console_index_is_fresh_and_points_at_immutable_versioned_modules(
    app_client: httpx.AsyncClient,
) -> None:
    assert (await app_client.get("/console")).headers["location"] == "/console/"
    index = await app_client.get("/console/")
    assert index.status_code == 200 and index.headers["content-type"].startswith("text/html")
    assert index.headers["content-security-policy"] == CONSOLE
    assert index.headers["cache-control"] == "no-cache"
    prefix = re.search(r'src="(/console/v/[0-9a-f]{16}/)app\.js"', index.text)
    assert prefix, index.text
    module = await app_client.get(prefix.group(1) + "app.js")
    assert module.status_code == 200
    assert module.headers["content-type"] == "text/javascript; charset=utf-8"
    assert module.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert module.headers["content-security-policy"] == CONSOLE
    again = await app_client.get(prefix.group(1) + "app.js", headers={"if-none-match": module.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    # A page still holding an older version gets today's file, but not as something to keep for a year.
    stale = await app_client.get("/console/v/0000000000000000/app.js")
    assert stale.status_code == 200 and stale.headers["cache-control"] == "no-cache"


async def test_console_files_are_gzipped_when_accepted(app_client: httpx.AsyncClient) -> None:
    prefix = re.search(r'href="(/console/v/[0-9a-f]{16}/)console\.css"', (await app_client.get("/console/")).text)
    assert prefix
    plain = await app_client.get(prefix.group(1) + "console.css", headers={"accept-encoding": "identity"})
    zipped = await app_client.get(prefix.group(1) + "console.css", headers={"accept-encoding": "gzip"})
    assert "content-encoding" not in plain.headers
    assert zipped.headers["content-encoding"] == "gzip" and zipped.content == plain.content


@pytest.mark.parametrize(
    "path",
    ["../server.py", "..%2Fserver.py", "%2e%2e/settings.py", ".hidden", "index.html", "nope.js", "lib/../../cli.py"],
)
async def test_console_serves_nothing_outside_its_folder(app_client: httpx.AsyncClient, path: str) -> None:
    response = await app_client.get(f"/console/v/0000000000000000/{path}", follow_redirects=True)
    assert response.status_code == 404


def test_the_version_changes_with_any_file(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text('<script src="{{base}}app.js"></script>')
    (tmp_path / "app.js").write_text("export const a = 1;")
    console = pages.Console(tmp_path, watch=True)
    first = console.prefix
    assert console.index_html().decode() == f'<script src="{first}app.js"></script>'
    (tmp_path / "app.js").write_text("export const a = 2;")
    assert console.prefix != first


async def test_the_console_is_served_in_production_but_graphiql_is_not(settings: Settings) -> None:
    production = Settings(
        database_url=settings.database_url,
        data_dir=settings.data_dir,
        secret_key="x" * 40,
        data_keys=(TEST_DATA_KEY,),
        env="production",
    )
    transport = httpx.ASGITransport(app=create_app(production, manage_database=False))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        assert (await client.get("/console/")).status_code == 200
        assert (await client.get("/graphiql/vendor/graphiql@3.8.3/graphiql.min.js")).status_code == 404


async def test_graphiql_loads_only_files_from_this_server(app_client: httpx.AsyncClient) -> None:
    page = await app_client.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    policy = directives(page.headers["content-security-policy"])
    assert policy["default-src"] == ["'self'"] and policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"] and policy["frame-ancestors"] == ["'none'"]
    assert "unsafe" not in page.headers["content-security-policy"]
    assert "<script>" not in page.text  # no inline script: the start script is a file too
    urls = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert urls and all(u.startswith("/") and not u.startswith("//") for u in urls), urls
    for url in urls:
        response = await app_client.get(url)
        assert response.status_code == 200, url


async def test_without_installed_files_graphiql_says_how_to_install_them(settings: Settings, tmp_path: Path) -> None:
    empty = Settings(
        database_url=settings.database_url,
        data_dir=settings.data_dir,
        secret_key=settings.secret_key,
        vendor_dir=tmp_path / "empty",
    )
    transport = httpx.ASGITransport(app=create_app(empty, manage_database=False))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        page = await client.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "beacon install-assets" in page.text
    assert "https://" not in page.text
    assert assets.missing(tmp_path / "empty")
