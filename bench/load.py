"""Driving a server with wrk and reading its figures."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.scenarios import Request

# wrk pre-builds one request when the script has no request() function; with several
# requests the script rotates through them, one new request (a new attempt, a new range) each time.
_ROTATE = """
local requests = {{
{entries}
}}
local n = 0
request = function()
  n = n % #requests + 1
  return requests[n]
end
init = function(args)
  for i, r in ipairs(requests) do
    requests[i] = wrk.format(r[1], r[2], r[3], r[4])
  end
end
"""


@dataclass(frozen=True)
class LoadResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    errors: int
    requests: int = 0


def require_wrk() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise SystemExit("bench: wrk is not installed (apt-get install wrk; `make bench` does it)")
    return path


def _lua_string(text: str) -> str:
    level = "=" * 3
    while f"]{level}]" in text:
        level += "="
    return f"[{level}[" + text + f"]{level}]"


def lua_script(requests: Sequence[Request]) -> str:
    """A wrk script sending these requests in turn (wrk.format builds each once, in init)."""
    entries = []
    for r in requests:
        headers = ", ".join(f"[ {_lua_string(k)} ] = {_lua_string(v)}" for k, v in r.headers.items())
        body = _lua_string(r.body) if r.body else "nil"
        entries.append(f"  {{{_lua_string(r.method)}, {_lua_string(r.path)}, {{{headers}}}, {body}}},")
    return _ROTATE.format(entries="\n".join(entries))


def run_wrk(
    base: str,
    requests: Sequence[Request],
    *,
    seconds: int = 5,
    connections: int = 16,
    core: int | None = 1,
) -> LoadResult:
    """Drive base with wrk (pinned to a core when taskset exists) and parse its report."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua_script(requests))
    command = [
        require_wrk(),
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        script.name,
        base + "/",
    ]
    if core is not None and shutil.which("taskset"):
        command = ["taskset", "-c", str(core), *command]
    try:
        output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds + 60).stdout
    finally:
        Path(script.name).unlink()
    return parse_wrk(output)


def _found(pattern: str, text: str) -> re.Match[str]:
    """The pattern's match in wrk's report; a report without it means wrk itself failed."""
    match = re.search(pattern, text, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"wrk's report has no {pattern!r}:\n{text}")
    return match


def _ms(value: str) -> float:
    number, unit = _found(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(output: str) -> LoadResult:
    rps = float(_found(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(_found(r"^\s+50%\s+(\S+)", output).group(1))
    p99 = _ms(_found(r"^\s+99%\s+(\S+)", output).group(1))
    total = re.search(r"(\d+) requests in", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return LoadResult(
        requests_per_second=rps,
        p50_ms=p50,
        p99_ms=p99,
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        errors=sum(int(g) for g in socket_errors.groups()) if socket_errors else 0,
        requests=int(total.group(1)) if total else 0,
    )
