"""What /proc says about a process: tests that kill servers check what they leave behind."""

from __future__ import annotations

from pathlib import Path


def _fields(pid: int) -> list[str]:
    """The stat fields after the command name (which may itself hold spaces or parentheses)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def running(pid: int) -> bool:
    """Alive and not a zombie waiting to be reaped."""
    try:
        return _fields(pid)[0] != "Z"
    except OSError:
        return False


def parent_of(pid: int) -> int:
    return int(_fields(pid)[1])


def children(pid: int) -> list[int]:
    """Process ids whose parent is pid."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if parent_of(int(entry.name)) == pid:
                    found.append(int(entry.name))
            except OSError:
                continue
    return found
