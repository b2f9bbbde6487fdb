"""The files of a content package (a zip), read in memory within the package limits.

Nothing is extracted to disk, but entry names and hrefs are still held to the package:
an absolute path, a `..` that climbs out, a symlink or a duplicate name refuses the upload.
"""

from __future__ import annotations

import io
import posixpath
import stat
import zipfile
import zlib
from urllib.parse import unquote, urlsplit

from application.ports.exam_packages import PackageRejected
from infrastructure.qti.limits import PackageLimits

_CHUNK = 64 * 1024


def looks_like_zip(data: bytes) -> bool:
    return data.startswith((b"PK\x03\x04", b"PK\x05\x06"))


class ContentPackage:
    """The entries of one zip, checked against `limits` before any is decompressed."""

    def __init__(self, data: bytes, limits: PackageLimits) -> None:
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError) as error:
            raise PackageRejected(f"not a readable zip: {error}") from error
        self._limits = limits
        self._entries = {info.filename: info for info in self._zip.infolist()}
        self._check_entries(self._zip.infolist())

    def has(self, path: str) -> bool:
        return path in self._entries

    def read(self, path: str) -> bytes:
        """The bytes of entry `path`, never more than it declared or the limits allow."""
        info = self._entries[path]
        out = bytearray()
        try:
            with self._zip.open(info) as entry:
                while chunk := entry.read(_CHUNK):
                    out += chunk
                    if len(out) > info.file_size:
                        raise PackageRejected(f"{path} is larger than its zip header says")
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as error:
            raise PackageRejected(f"{path} cannot be decompressed: {error}") from error
        return bytes(out)

    def _check_entries(self, infos: list[zipfile.ZipInfo]) -> None:
        limits = self._limits
        if len(infos) > limits.max_entries:
            raise PackageRejected(f"the zip has {len(infos)} entries; at most {limits.max_entries}")
        if len(self._entries) != len(infos):
            raise PackageRejected("the zip names an entry twice")
        if sum(info.file_size for info in infos) > limits.max_total_bytes:
            raise PackageRejected(f"the zip unpacks to more than {limits.max_total_bytes} bytes")
        for info in infos:
            _check_entry(info, limits)


def _check_entry(info: zipfile.ZipInfo, limits: PackageLimits) -> None:
    name = info.filename
    if name.startswith("/") or "\\" in name or ".." in name.split("/"):
        raise PackageRejected(f"zip entry {name!r} points outside the package")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise PackageRejected(f"zip entry {name!r} is a symbolic link")
    if info.flag_bits & 0x1:
        raise PackageRejected(f"zip entry {name!r} is encrypted")
    if info.file_size > limits.max_entry_bytes:
        raise PackageRejected(f"zip entry {name!r} unpacks to more than {limits.max_entry_bytes}")
    ratio_exempt = info.file_size <= limits.ratio_exempt_bytes
    if not ratio_exempt and info.file_size > limits.max_ratio * max(info.compress_size, 1):
        raise PackageRejected(f"zip entry {name!r} is compressed more than {limits.max_ratio}x")


def resolve_href(href: str, relative_to: str) -> str:
    """The package path `href` names, seen from the file `relative_to` (package root: "").

    Raises PackageRejected for a URL, an absolute path, or a path climbing out of the package.
    """
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("/") or "\\" in href:
        raise PackageRejected(f"href {href!r} points outside the package")
    joined = posixpath.join(posixpath.dirname(relative_to), unquote(parts.path))
    path = posixpath.normpath(joined)
    # Tests often live in a folder of their own and name items as "../items/q1.xml" (TAO
    # exports do); such a `..` is fine as long as the path stays inside the package.
    if path == ".." or path.startswith("../") or path == ".":
        raise PackageRejected(f"href {href!r} points outside the package")
    return path
