"""GraphiQL's npm tarballs: installed only when their sha512 matches the registry's integrity."""

from __future__ import annotations

import base64
import hashlib
import io
import tarfile
from pathlib import Path

import pytest

import assets


def tarball(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def package(data: bytes, files: tuple[str, ...] = ("dist/a.js",)) -> assets.Package:
    return assets.Package("@scope/demo", "1.2.3", integrity(data), files)


def test_the_pins_are_sha512_integrities_of_registry_tarballs() -> None:
    for pinned in assets.GRAPHIQL:
        assert pinned.integrity.startswith("sha512-") and len(base64.b64decode(pinned.integrity[7:])) == 64
        assert pinned.tarball_url.startswith("https://registry.npmjs.org/")
        assert pinned.tarball_url.endswith(f"-{pinned.version}.tgz")


def test_a_matching_tarball_is_installed_with_only_the_wanted_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tarball({"package/dist/a.js": b"ok()", "package/dist/other.js": b"no", "package/../../evil": b"x"})
    monkeypatch.setattr(assets, "download", lambda url, timeout=60: data)
    assert assets.install(tmp_path, (package(data),)) == ["@scope/demo@1.2.3"]
    assert (tmp_path / "@scope+demo@1.2.3" / "dist" / "a.js").read_bytes() == b"ok()"
    assert not (tmp_path / "@scope+demo@1.2.3" / "dist" / "other.js").exists()
    assert not (tmp_path.parent / "evil").exists()
    assert assets.missing(tmp_path, (package(data),)) == []
    assert assets.install(tmp_path, (package(data),)) == []  # already there: nothing downloaded again


def test_a_tampered_tarball_is_refused_and_nothing_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = tarball({"package/dist/a.js": b"ok()"})
    bad = tarball({"package/dist/a.js": b"steal()"})
    monkeypatch.setattr(assets, "download", lambda url, timeout=60: bad)
    with pytest.raises(assets.AssetError, match="integrity mismatch"):
        assets.install(tmp_path, (package(good),))
    assert not (tmp_path / "@scope+demo@1.2.3").exists()
    assert assets.missing(tmp_path, (package(good),)) == ["@scope/demo@1.2.3"]


def test_a_tarball_without_a_wanted_file_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tarball({"package/README.md": b"hi"})
    monkeypatch.setattr(assets, "download", lambda url, timeout=60: data)
    with pytest.raises(assets.AssetError, match=r"has no dist/a\.js"):
        assets.install(tmp_path, (package(data),))


def test_only_sha512_integrities_are_accepted() -> None:
    with pytest.raises(assets.AssetError, match="unsupported"):
        assets.check_integrity(b"x", "sha1-" + base64.b64encode(hashlib.sha1(b"x").digest()).decode())  # noqa: S324
