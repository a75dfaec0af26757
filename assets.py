"""GraphiQL's browser files, served by Beacon itself: pinned npm tarballs, checked against their sha512.

GraphiQL is third-party code we do not keep in the repository. `beacon install-assets` (run by
`make install`) downloads each pinned tarball once from the npm registry, refuses it unless its
SHA-512 equals the `integrity` the registry published for that version (the same check `npm ci`
does against a lockfile), and extracts only the files the page loads into the vendor folder.
Nothing but Python is needed; at run time nothing is fetched from another host.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REGISTRY = os.environ.get("BEACON_NPM_REGISTRY", "https://registry.npmjs.org")
ROOT = Path(__file__).resolve().parent
MANIFEST = "installed.json"


@dataclass(frozen=True)
class Package:
    """One npm package version, its registry integrity, and the files the page needs from it."""

    name: str
    version: str
    integrity: str
    files: tuple[str, ...]

    @property
    def folder(self) -> str:
        """Folder (and URL segment) of its files: name@version, with the scope's slash made safe."""
        return f"{self.name.replace('/', '+')}@{self.version}"

    @property
    def tarball_url(self) -> str:
        return f"{REGISTRY}/{self.name}/-/{self.name.rsplit('/', 1)[-1]}-{self.version}.tgz"


GRAPHIQL = (
    Package(
        "react",
        "18.3.1",
        "sha512-wS+hAgJShR0KhEvPJArfuPVN1+Hz1t0Y6n5jLrGQbkb4urgPE/0Rve+1kMB1v/oWgHgm4WIcV+i7F2pTVj+2iQ==",
        ("umd/react.production.min.js",),
    ),
    Package(
        "react-dom",
        "18.3.1",
        "sha512-5m4nQKp+rZRb09LNH59GM4BxTh9251/ylbKIbpe7TpGxfJ+9kv6BLkLBXIjjspbgbnIBNqlI23tRnTWT0snUIw==",
        ("umd/react-dom.production.min.js",),
    ),
    Package(
        "graphiql",
        "3.8.3",
        "sha512-cuPDYtXVKV86Pu5PHBX642Odi/uVEE2y1Jxq5rGO/Qy1G2lRp7ZZ7a/T30RzxhuLSWo9zUbzq0P3U49//H0Ugw==",
        ("graphiql.min.js", "graphiql.min.css"),
    ),
    Package(
        "@graphiql/plugin-explorer",
        "1.0.2",
        "sha512-9j+kg2UjtLZD5EBmGjeWHkoVVxtbShYg2DzbUVebibnZYZM/iMBEF4vaccXJIAm5KaomIPLx0aoNs4LbODyc3Q==",
        ("dist/index.umd.js", "dist/style.css"),
    ),
)


class AssetError(Exception):
    """A tarball could not be fetched, did not match its integrity, or lacked a file."""


def default_vendor_dir() -> Path:
    return Path(os.environ.get("BEACON_VENDOR_DIR") or ROOT / "vendor")


def check_integrity(data: bytes, integrity: str) -> None:
    """Raise unless data's digest equals an npm integrity string ("sha512-<base64>")."""
    algorithm, _, expected = integrity.partition("-")
    if algorithm != "sha512":
        raise AssetError(f"unsupported integrity algorithm {algorithm!r}")
    actual = base64.b64encode(hashlib.sha512(data).digest()).decode()
    if actual != expected:
        raise AssetError(f"integrity mismatch: expected sha512-{expected}, got sha512-{actual}")


def extract(package: Package, tarball: bytes, target: Path) -> None:
    """Write the package's wanted files (npm tarballs keep them under package/) into target/<folder>/."""
    folder = target / package.folder
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        for wanted in package.files:
            try:
                member = archive.getmember(f"package/{wanted}")
            except KeyError:
                raise AssetError(f"{package.name}@{package.version} has no {wanted}") from None
            source = archive.extractfile(member)
            if source is None:
                raise AssetError(f"{package.name}@{package.version}: {wanted} is not a file")
            path = folder / wanted
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(source.read())


def is_installed(package: Package, target: Path) -> bool:
    try:
        manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return manifest.get(package.folder) == package.integrity and all(
        (target / package.folder / f).is_file() for f in package.files
    )


def download(url: str, timeout: float = 60) -> bytes:
    if not url.startswith(("https://", "http://")):
        raise AssetError(f"refusing to download {url!r}")
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (scheme checked above)
            return bytes(response.read())
    except OSError as error:
        raise AssetError(f"could not download {url}: {error}") from error


def install(target: Path | None = None, packages: tuple[Package, ...] = GRAPHIQL) -> list[str]:
    """Fetch, verify and extract every package not yet installed; returns the ones installed now."""
    target = target or default_vendor_dir()
    target.mkdir(parents=True, exist_ok=True)
    installed = []
    for package in packages:
        if is_installed(package, target):
            continue
        tarball = download(package.tarball_url)
        check_integrity(tarball, package.integrity)
        shutil.rmtree(target / package.folder, ignore_errors=True)
        extract(package, tarball, target)
        _record(target, package)
        installed.append(f"{package.name}@{package.version}")
    return installed


def _record(target: Path, package: Package) -> None:
    path = target / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {}
    manifest[package.folder] = package.integrity
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")


def missing(target: Path | None = None, packages: tuple[Package, ...] = GRAPHIQL) -> list[str]:
    """Packages whose files are not in the vendor folder (empty when GraphiQL can be served)."""
    target = target or default_vendor_dir()
    return [f"{p.name}@{p.version}" for p in packages if not is_installed(p, target)]
