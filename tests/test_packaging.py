"""The installed `beacon` command must find every module the server imports."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_top_level_module_and_package_is_installed() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    modules = set(config["py-modules"])
    assert {p.stem for p in ROOT.glob("*.py")} == modules
    included = config["packages"]["find"]["include"]
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests", "bench"}
    for package in packages:
        assert f"{package}*" in included, f"package {package}/ is not installed by pyproject.toml"
