"""The on-disk cache of compiled state: lexicons as plain data and the engine's databases.

Loading and validating the YAML lexicons, checking every pattern and compiling the Hyperscan
databases takes seconds; a short run should pay none of it. The result is a pure function of
the files it was built from, so it is kept in the user's cache directory (platformdirs: the
right place on every OS, as ruff's or mypy's) under a key made of the content and name of every
file loaded, privcheck's version, the engine and its version, and the Python version.

An entry is trusted only if it proves it is the one asked for: it starts with a magic line,
repeats its full key, and carries a SHA-256 digest of key and payload. A damaged, truncated,
foreign or stale entry (or one that does not decode into the expected shape) is ignored, rebuilt
and replaced. `PRIVCHECK_CACHE_DIR` moves the cache; set to an empty string it turns it off.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from checker import __version__

MAGIC = b"privcheck-state 1\n"
T = TypeVar("T")
Entry = tuple[dict[str, Any], dict[str, bytes | None]]  # JSON-able data, binary blobs


def cache_dir() -> Path | None:
    configured = os.environ.get("PRIVCHECK_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    import platformdirs  # only when no directory is configured

    return Path(platformdirs.user_cache_dir("privcheck", appauthor=False))


def state_key(files: Iterable[Path], engine: str, engine_version: str) -> str:
    """The key: every input file's name and content, and every version that shapes the result."""
    digest = hashlib.sha256(
        f"{__version__}\0{engine}\0{engine_version}\0{sys.version_info[:2]}\0".encode()
    )
    if engine == "hyperscan":
        import hyperscan

        digest.update(str(getattr(hyperscan, "__version__", "")).encode() + b"\0")
    for path in files:
        data = path.read_bytes()
        digest.update(str(path).encode() + b"\0" + struct.pack("<Q", len(data)) + data)
    return digest.hexdigest()


def _path(key: str, prefix: str = "state") -> Path | None:
    """An entry's file: `prefix` names the kind (lexicon states are `state-*.bin`)."""
    directory = cache_dir()
    return directory / f"{prefix}-{key[:24]}.bin" if directory is not None else None


def _pack(key: str, data: dict[str, Any], blobs: dict[str, bytes | None]) -> bytes:
    header = json.dumps(
        {"data": data, "blobs": {k: None if v is None else len(v) for k, v in blobs.items()}},
        separators=(",", ":"),
    ).encode()
    payload = struct.pack("<Q", len(header)) + header + b"".join(
        v for v in blobs.values() if v is not None
    )
    digest = hashlib.sha256(key.encode() + payload).hexdigest().encode()
    return MAGIC + key.encode() + b"\n" + digest + b"\n" + payload


def _unpack(key: str, raw: bytes) -> tuple[dict[str, Any], dict[str, bytes | None]] | None:
    # Offsets and a memoryview rather than partition and slices: an entry holds megabytes of
    # databases, and each copy of it costs a short run milliseconds.
    if not raw.startswith(MAGIC):
        return None
    key_end = raw.find(b"\n", len(MAGIC))
    if key_end < 0 or raw[len(MAGIC):key_end] != key.encode():
        return None  # another key's entry (a collision of the short file name, or foreign)
    digest_end = raw.find(b"\n", key_end + 1, key_end + 80)
    if digest_end < 0:
        return None
    payload = memoryview(raw)[digest_end + 1:]
    digest = hashlib.sha256(key.encode())
    digest.update(payload)
    if digest.hexdigest().encode() != raw[key_end + 1:digest_end]:
        return None  # damaged
    (size,) = struct.unpack_from("<Q", payload)
    header = json.loads(bytes(payload[8 : 8 + size]))
    offset = 8 + size
    blobs: dict[str, bytes | None] = {}
    for name, length in header["blobs"].items():
        if length is None:
            blobs[name] = None
        else:
            blobs[name] = bytes(payload[offset : offset + length])
            offset += length
    if offset != len(payload):
        return None
    return header["data"], blobs


unpack = _unpack  # the results cache's entries share the format


def load(key: str, prefix: str = "state") -> tuple[dict[str, Any], dict[str, bytes | None]] | None:
    """The entry stored under the key, or None (absent, unreadable, damaged or foreign)."""
    path = _path(key, prefix)
    if path is None:
        return None
    try:
        raw = path.read_bytes()
        return _unpack(key, raw)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, struct.error):
        return None


def save(key: str, data: dict[str, Any], blobs: dict[str, bytes | None],
         prefix: str = "state") -> None:
    """Write atomically; a cache that cannot be written is simply not kept."""
    path = _path(key, prefix)
    if path is not None:
        write_entry(path, key, data, blobs)


def write_entry(path: Path, key: str, data: dict[str, Any],
                blobs: dict[str, bytes | None]) -> None:
    """Write one entry at `path` atomically (a reader sees the old file or the new, never half
    of one); a cache that cannot be written is simply not kept."""
    write_atomically(path, _pack(key, data, blobs))


def write_atomically(path: Path, content: bytes) -> None:
    """A new file beside `path` (a name no other process can hold: pid and random bytes,
    created exclusively), then renamed over it. Not tempfile: importing it (and shutil, random)
    costs a short run more than the write."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.{os.urandom(6).hex()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(content)
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    except OSError:
        pass


def cached(files: Iterable[Path], kind: str, version: str, build: Callable[[], T],
           restore: Callable[[dict[str, Any], dict[str, bytes | None]], T],
           dump: Callable[[T], Entry | None], prefix: str = "state") -> T:
    """What `build` makes from `files`: restored from the entry under their key when there is
    one, else built and its `dump` saved (None: this value is not to be cached). `restore`
    raises on an entry of the wrong shape, which is then rebuilt and replaced."""
    try:
        key: str | None = state_key(files, kind, version)
    except OSError:
        key = None  # a file that cannot be read: building says which, as a one-line error
    if key is not None:
        entry = load(key, prefix)
        if entry is not None:
            try:
                return restore(*entry)
            except Exception:  # a well-formed entry of the wrong shape: rebuild it
                pass
    value = build()
    if key is not None:
        dumped = dump(value)
        if dumped is not None:
            save(key, *dumped, prefix=prefix)
    return value
