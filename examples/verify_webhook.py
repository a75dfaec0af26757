"""Receive Beacon's webhooks and verify them the Standard Webhooks way (standard library only).

    WEBHOOK_SECRET=whsec_… python verify_webhook.py --port 8001

Prints one JSON line per verified event and answers 204; anything unsigned, forged, or more than
five minutes off gets 400 and is not processed. Answer fast and do the work afterwards (e.g. run
sync.py's pass): Beacon waits at most 10 seconds and retries what it does not see acknowledged.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import sys
import time
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

TOLERANCE_SECONDS = 5 * 60


class InvalidSignature(Exception):
    """The request was not signed by the holder of the secret, or is too old or too new."""


def verify(secret: str, headers: Mapping[str, str], body: bytes, now: float | None = None) -> dict[str, Any]:
    """The event, if webhook-signature holds an HMAC-SHA256 of '{id}.{timestamp}.{body}' under the secret."""
    msg_id, timestamp, signatures = (headers.get(h) for h in ("webhook-id", "webhook-timestamp", "webhook-signature"))
    if not (msg_id and timestamp and signatures):
        raise InvalidSignature("missing webhook headers")
    try:
        sent = int(timestamp)
    except ValueError:
        raise InvalidSignature("bad timestamp") from None
    if abs((now if now is not None else time.time()) - sent) > TOLERANCE_SECONDS:
        raise InvalidSignature("timestamp too old or too new")
    key = base64.b64decode(secret.removeprefix("whsec_"))
    expected = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    for signature in signatures.split():
        version, _, value = signature.partition(",")
        if version == "v1" and hmac.compare_digest(base64.b64decode(value), expected):
            return json.loads(body)  # type: ignore[no-any-return]  # parsed JSON is Any
    raise InvalidSignature("no matching signature")


class Handler(BaseHTTPRequestHandler):
    secret = ""

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        try:
            event = verify(self.secret, {k.lower(): v for k, v in self.headers.items()}, body)
        except InvalidSignature as problem:
            self.send_response(400)
            self.end_headers()
            print(json.dumps({"refused": str(problem)}), flush=True)
            return
        self.send_response(204)
        self.end_headers()
        print(json.dumps({"id": self.headers["webhook-id"], "type": event["type"], "data": event["data"]}), flush=True)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args()
    Handler.secret = os.environ["WEBHOOK_SECRET"]
    server = HTTPServer((args.host, args.port), Handler)
    print(json.dumps({"listening": args.port}), flush=True)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
