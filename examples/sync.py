"""Delta sync with Beacon: keep a local mirror of its published lessons and stories.

Standard library only. Usage:
    BEACON_URL=https://beacon.example.org BEACON_API_KEY=bk_… python sync.py [--once] [--state mirror.json]

Each pass asks syncContent for everything after the saved token, page by page while hasMore,
stores new and changed items, drops the ids that stopped being public, and saves the new token.
Without --once it repeats every minute (a webhook can wake it sooner: see verify_webhook.py).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

SYNC = """
query Sync($token: String, $first: Int) {
  syncContent(syncToken: $token, first: $first) {
    items {
      __typename
      ... on Lesson { id slug locale title summary updatedAt }
      ... on Story { id slug locale title summary updatedAt }
    }
    deletedIds
    nextSyncToken
    hasMore
  }
}"""


def graphql(url: str, key: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(  # noqa: S310 (the operator's own Beacon URL)
        f"{url}/graphql",
        data=json.dumps({"query": query, "variables": variables}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        body = json.load(response)
    if body.get("errors"):
        raise RuntimeError(body["errors"])
    return body["data"]  # type: ignore[no-any-return]  # parsed JSON is Any


def sync_once(url: str, key: str, state: dict[str, Any]) -> dict[str, int]:
    """One pass: apply every change since state['token']; returns how many items changed and were removed."""
    changed = removed = 0
    while True:
        page = graphql(url, key, SYNC, {"token": state.get("token"), "first": 50})["syncContent"]
        for item in page["items"]:
            state["items"][item["id"]] = item
            changed += 1
        for gone in page["deletedIds"]:
            removed += state["items"].pop(gone, None) is not None
        state["token"] = page["nextSyncToken"]
        if not page["hasMore"]:
            return {"changed": changed, "removed": removed, "total": len(state["items"])}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--once", action="store_true", help="one pass, then exit")
    parser.add_argument("--state", default="mirror.json", help="where the token and the items are kept")
    args = parser.parse_args()
    url, key = os.environ["BEACON_URL"].rstrip("/"), os.environ["BEACON_API_KEY"]
    path = Path(args.state)
    state = json.loads(path.read_text()) if path.exists() else {"token": None, "items": {}}
    while True:
        summary = sync_once(url, key, state)
        path.write_text(json.dumps(state, ensure_ascii=False, indent=1))
        print(json.dumps(summary), flush=True)
        if args.once:
            return 0
        time.sleep(60)


if __name__ == "__main__":
    sys.exit(main())
