"""Starting the servers under test: Beacon itself and the bare endpoint, one worker each."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pinned(command: list[str], core: int | None) -> list[str]:
    if core is not None and shutil.which("taskset"):
        return ["taskset", "-c", str(core), *command]
    return command


def _wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"bench: server exited with {process.returncode}")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(url, timeout=1).status_code < 500:
                return
        time.sleep(0.1)
    raise SystemExit(f"bench: server at {url} did not become ready")


@contextlib.contextmanager
def uvicorn_server(
    factory: str, env: dict[str, str], *, core: int | None = 0, ready_path: str = "/graphql?query=%7B__typename%7D"
) -> Iterator[tuple[str, int]]:
    """Run `uvicorn --factory factory` on a free port; yields (base URL, pid)."""
    port = free_port()
    command = _pinned(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            factory,
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
            "--ws",
            "websockets-sansio",
        ],
        core,
    )
    log_path = ROOT / "bench" / "results" / "server.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = log_path.open("ab")
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base + ready_path, process)
        yield base, process.pid
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set (VmHWM) in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _nginx_binary() -> str:
    path = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if path is None:
        raise SystemExit("bench: nginx is not installed (apt-get install nginx-light)")
    return path


def render_nginx_conf(template: str, *, upstreams: list[str], port: int, prefix: Path, media_root: Path) -> str:
    """deploy/nginx.conf with the bench's upstreams, port and temp paths filled in."""
    import re

    servers = "\n".join(f"        server {u.removeprefix('http://')};" for u in upstreams)
    template = re.sub(r"(?:\s*server 127\.0\.0\.1:80\d\d;)+", "\n" + servers, template, count=1)
    return (
        template.replace("listen 127.0.0.1:8080;", f"listen 127.0.0.1:{port};")
        .replace("/var/lib/beacon/media/", f"{media_root}/")
        .replace("/run/beacon-nginx", str(prefix))
    )


@contextlib.contextmanager
def nginx_proxy(upstreams: list[str], media_root: Path | None = None) -> Iterator[str]:
    """Run nginx with deploy/nginx.conf on a free loopback port in a temp prefix; yields its base URL."""
    import tempfile

    binary = _nginx_binary()
    if media_root is not None and media_root.parent.exists():
        media_root.parent.chmod(0o755)  # a temp dir is 0700; nginx's workers (nobody) must reach the files
    with tempfile.TemporaryDirectory() as tmp:
        prefix = Path(tmp)
        port = free_port()
        conf = render_nginx_conf(
            (ROOT / "deploy" / "nginx.conf").read_text(),
            upstreams=upstreams,
            port=port,
            prefix=prefix,
            media_root=media_root or prefix / "media",
        )
        (prefix / "nginx.conf").write_text(conf)
        process = subprocess.Popen(
            [
                binary,
                "-p",
                str(prefix),
                "-c",
                str(prefix / "nginx.conf"),
                "-e",
                str(prefix / "error.log"),
                "-g",
                "daemon off;",
            ],
            stdout=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_ready(base + "/graphql?query=%7B__typename%7D", process)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=10)
