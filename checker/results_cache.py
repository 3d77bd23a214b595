"""The results cache: a policy file checked before, unchanged, under the same settings, is not
checked again; its result records are read back from the cache directory.

As in ruff's cache, re-checking an unchanged file should cost almost nothing: a hit reads the
file, hashes it and loads one small entry, and never imports the readers (markdown-it, lxml),
the matcher, or builds the plan (rules, lexicons, compiled patterns).

The key of an entry is a SHA-256 of everything the result depends on:
- the file's bytes, its path as given and as an absolute path (waivers and the report's `path`
  depend on both) and the `--encoding`;
- the resolved configuration that applies to it (every setting, its source, the command line's
  --select/--ignore/--max-size and input choices laid over it) and the run's date (rules compare
  the policy's date with it: PRIVCHECK_TODAY or today);
- the content of every file the checker is made of: its Python code, the built-in rule packs,
  declarations and lexicons, and the user's `rule_files` and `lexicon_files`;
- privcheck's version, the Python version, the engine asked for (PRIVCHECK_ENGINE) and a stamp
  of each library that shapes a result (the readers, dateutil, hyperscan).
Any change to any of these is a miss. Only local files that produced a policy report are kept
(not URLs, bundles, standard input or files that could not be checked), and only when the
result reads back equal to itself: the cache never changes an answer.

Entries live in `results/` under the compiled-state cache directory (state_cache.cache_dir:
platformdirs, or PRIVCHECK_CACHE_DIR; empty turns every cache off), each written atomically
with the same integrity check as the compiled state (magic line, full key, digest). The folder
is bounded: past MAX_ENTRIES the least recently used entries are removed. `--no-cache` turns
this cache off for a run; deleting the folder clears it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checker import __version__, state_cache
from checker.records import Evidence, Finding, InputError, Notice, PolicyReport, Severity, Status

if TYPE_CHECKING:
    from checker.config import Config
    from checker.plans import Plans

FORMAT = "1"  # bump when what an entry holds changes shape
MAX_ENTRIES = 5000  # entries kept at most (a long policy's entry is ~10 KB, compressed)
MAX_BYTES = 64 * 1024 * 1024  # and bytes at most
PRUNE_TO = 0.8  # a pruned folder keeps this share of either bound
PRUNE_EVERY = 1000  # a long run checks the bounds again after this many new entries
PREFIX = "r-"
# Libraries whose version can change a result: the readers, the date parser, the engine.
LIBRARIES = ("markdown_it", "lxml", "docx", "pdfminer", "dateutil", "hyperscan")

Result = PolicyReport | InputError


def directory() -> Path | None:
    base = state_cache.cache_dir()
    return base / "results" if base is not None else None


def _tree(root: Path | str) -> list[tuple[str, str]]:
    """Every file under `root` as (name relative to it, path), sorted; bytecode caches and
    temporary files left out."""
    found: list[tuple[str, str]] = []
    stack = [(str(root), "")]
    while stack:
        folder, rel = stack.pop()
        with os.scandir(folder) as it:
            for entry in it:
                name = rel + entry.name
                if entry.is_dir():
                    if entry.name != "__pycache__":
                        stack.append((entry.path, name + "/"))
                elif not entry.name.endswith((".pyc", ".tmp")):
                    found.append((name, entry.path))
    return sorted(found)


def _digest_tree(digest: Any, root: Path | str) -> None:
    """Every file under `root` (sorted, bytecode caches left out): its name and content."""
    for name, path in _tree(root):
        with open(path, "rb") as f:
            data = f.read()
        digest.update(f"{name}\0{len(data)}\0".encode() + data)


def _roots() -> list[Path]:
    """The folders privcheck's code and data are read from: the package, and the checkout's
    rules/ in an editable install (a wheel holds them inside the package)."""
    from checker.builtin import rules_dir

    package = Path(__file__).resolve().parent
    rules = rules_dir().resolve()
    return [package] if rules.is_relative_to(package) else [package, rules]


def _library_stamps() -> list[str]:
    """Where each library that shapes a result is imported from, with its size and time."""
    from importlib.util import find_spec

    stamps = []
    for name in LIBRARIES:
        try:
            spec = find_spec(name)
        except (ImportError, ValueError):
            spec = None
        origin = spec.origin if spec is not None else None
        stamp = "absent"
        if origin:
            try:
                st = os.stat(origin)
                stamp = f"{origin}\0{st.st_size}\0{st.st_mtime_ns}"
            except OSError:
                pass
        stamps.append(f"{name}\0{stamp}\0")
    return stamps


def _content_digest(roots: list[Path], libraries: list[str]) -> str:
    digest = hashlib.sha256(f"{FORMAT}\0{__version__}\0{sys.version}\0".encode())
    for root in roots:
        _digest_tree(digest, root)
    for stamp in libraries:
        digest.update(stamp.encode())
    return digest.hexdigest()


SETTLED_NS = 2 * 10**9  # a file changed this recently is hashed on every run (see _installation)


def _stat_key(roots: list[Path]) -> tuple[str, int]:
    """A digest of what `os.stat` says of every file of the installation (name, size, time,
    inode) and of every import folder (its time changes when a library is installed or
    removed), and the newest file time seen."""
    digest = hashlib.sha256(f"{FORMAT}\0{__version__}\0{sys.version}\0".encode())
    newest = 0
    for root in roots:
        for name, path in _tree(root):
            st = os.stat(path)
            newest = max(newest, st.st_mtime_ns)
            digest.update(f"{name}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}\0".encode())
    for folder in sys.path:
        try:
            mtime: int | str = os.stat(folder or ".").st_mtime_ns
        except OSError:
            mtime = "absent"
        digest.update(f"{folder}\0{mtime}\0".encode())
    return digest.hexdigest(), newest


@cache
def _installation() -> str:
    """What this privcheck is made of: the content of its code and data, and a stamp of each
    library that shapes results. Computed once per process.

    Reading and hashing about a megabyte of files (and finding each library on the import
    path) costs a cached run a few milliseconds, so the content digest is kept in the results
    folder under a key made of what `os.stat` says of the same files and of the import path's
    folders, as git's index and make do: an edit, a new or removed file, a library installed,
    upgraded or removed changes a size, a time, an inode or a folder's time, and the content is
    hashed again; each library's own stamp is compared again on every run. As in git, a file
    changed within SETTLED_NS of the run could change again within the clock's resolution
    without its time changing: while any file is that recent, no stamp is kept and the content
    is hashed on every run. Only a change that restores a file's size, time and inode (an
    in-place edit of the same length followed by `touch -d`) goes unseen."""
    import time

    roots = _roots()
    folder = directory()
    try:
        key, newest = _stat_key(roots)
    except OSError:
        key, newest = "", 0
    marker = folder / f"install-{key[:40]}" if folder is not None and key else None
    if marker is not None:
        known = (_read_marker(marker) or "").split("\n")
        if len(known) == 2 + len(LIBRARIES) and known[0] == key and \
                all(_unchanged(line) for line in known[2:]):
            return known[1]
    libraries = _library_stamps()
    content = _content_digest(roots, libraries)
    if marker is not None and time.time_ns() - newest > SETTLED_NS:
        lines = [s.rstrip("\0").replace("\0", "\t") for s in libraries]
        state_cache.write_atomically(marker, "\n".join([key, content, *lines]).encode())
    return content


def _unchanged(line: str) -> bool:
    """Whether a library's stamp (`name\torigin\tsize\tmtime`, or `name\tabsent`) still holds;
    an absent library's appearance changes an import folder's time instead."""
    parts = line.split("\t")
    if len(parts) == 2:
        return parts[1] == "absent"
    if len(parts) != 4:
        return False
    try:
        st = os.stat(parts[1])
    except OSError:
        return False
    return parts[2:] == [str(st.st_size), str(st.st_mtime_ns)]


def plan_fingerprint(config: Config, select: list[str], ignore: list[str]) -> str:
    """Everything that shapes the plan made from `config`: see the module's docstring. Raises
    OSError when a user's rule or lexicon file cannot be read (then nothing is cached)."""
    from checker.config import run_date

    digest = hashlib.sha256(_installation().encode())
    digest.update(repr((config, sorted(config._given), [w._base for w in config.waivers],
                        select, ignore, run_date().isoformat(),
                        os.environ.get("PRIVCHECK_ENGINE", ""))).encode())
    for name in (*config.rule_files, *config.lexicon_files):
        data = Path(name).read_bytes()
        digest.update(f"\0{name}\0{len(data)}\0".encode() + data)
    return digest.hexdigest()


def _entry_key(fingerprint: str, path: str, encoding: str | None, data: bytes) -> str:
    digest = hashlib.sha256(
        f"{fingerprint}\0{path}\0{os.path.abspath(path)}\0{encoding}\0{len(data)}\0".encode())
    digest.update(data)
    return digest.hexdigest()


def _entry_path(key: str) -> Path | None:
    folder = directory()
    return folder / f"{PREFIX}{key[:40]}.bin" if folder is not None else None


def _cacheable(path: str) -> bool:
    lowered = path.lower()
    return not (path == "-" or lowered.startswith(("http://", "https://", "bundle:")))


def _read(path: str, limit: float) -> bytes | None:
    """The file's bytes, or None when it is not a small regular file (the check says why)."""
    try:
        st = os.stat(path)
        if not os.path.isfile(path) or st.st_size > limit * 1024 * 1024:
            return None
        with open(path, "rb") as f:
            return f.read()
    except (OSError, ValueError):
        return None


def lookup(path: str, plans: Plans,
           encoding: str | None) -> tuple[PolicyReport | None, str | None, bytes | None]:
    """(the cached result or None, the entry's key, the bytes it was taken from); the key is
    None when the file's result cannot be cached (a URL, a file that cannot be read...)."""
    if not _cacheable(path):
        return None, None, None
    config = plans.config_for_path(path)
    data = _read(path, config.max_size_mb)
    if data is None:
        return None, None, None
    fingerprint = plans.fingerprint_for(config)
    if fingerprint is None:
        return None, None, None
    key = _entry_key(fingerprint, path, encoding, data)
    return load(key), key, data


def check(path: str, plans: Plans, encoding: str | None) -> Result:
    """`check_file(path, plans.for_path(path), encoding)`, from the cache when it can be."""
    hit, key, data = lookup(path, plans, encoding)
    if hit is not None:
        return hit
    from checker.checkfile import check_file

    result = check_file(path, plans.for_path(path), encoding)
    if key is not None and isinstance(result, PolicyReport) and _read(path, 1e9) == data:
        save(key, result)  # and only if the file did not change while it was checked
    return result


def _marker(fingerprint: str | None) -> Path | None:
    folder = directory()
    if folder is None or fingerprint is None:
        return None
    return folder / f"plan-{fingerprint[:40]}"


def is_valid(fingerprint: str | None) -> bool:
    """Whether a plan was made from exactly these inputs before (so making it cannot fail)."""
    marker = _marker(fingerprint)
    return marker is not None and fingerprint is not None and _read_marker(marker) == fingerprint


def _read_marker(marker: Path) -> str | None:
    try:
        return marker.read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None


def mark_valid(fingerprint: str | None) -> None:
    marker = _marker(fingerprint)
    if marker is None or fingerprint is None or _read_marker(marker) == fingerprint:
        return
    state_cache.write_atomically(marker, fingerprint.encode("ascii"))


# ---- entries --------------------------------------------------------------------------------

def _evidence(d: dict[str, Any] | None) -> Evidence | None:
    return None if d is None else Evidence(**d)


def policy_from_data(d: dict[str, Any]) -> PolicyReport:
    """The PolicyReport whose `model_dump(mode="json")` is `d`."""
    results = []
    for f in d["results"]:
        f = dict(f)
        f["status"], f["severity"] = Status(f["status"]), Severity(f["severity"])
        f["evidence"] = [Evidence(**e) for e in f["evidence"]]
        f["location"], f["near_miss"] = _evidence(f["location"]), _evidence(f["near_miss"])
        results.append(Finding(**f))
    return PolicyReport(path=d["path"], effective_date=d["effective_date"], results=results,
                        summary=dict(d["summary"]), notices=[Notice(**n) for n in d["notices"]],
                        redirects=d["redirects"], documents=d["documents"])


def load(key: str) -> PolicyReport | None:
    """The entry stored under `key`, or None (absent, damaged, foreign, of another shape)."""
    path = _entry_path(key)
    if path is None:
        return None
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    try:
        entry = state_cache.unpack(key, raw)
        if entry is None or entry[0].get("format") != FORMAT:
            return None
        import json
        import zlib

        policy = policy_from_data(json.loads(zlib.decompress(entry[1]["policy"] or b"")))
    except Exception:  # a well-formed entry of the wrong shape: a miss, then replaced
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: pruning removes the oldest first
    return policy


_saved = 0


def save(key: str, policy: PolicyReport) -> None:
    """Keep the result, if it reads back equal to itself; never fails the run."""
    global _saved
    import json
    import zlib

    path = _entry_path(key)
    if path is None:
        return
    text = json.dumps(policy.model_dump(mode="json"), ensure_ascii=False,
                      separators=(",", ":"))
    try:
        if policy_from_data(json.loads(text)) != policy:
            return  # a value JSON does not carry back: not cached
    except (TypeError, ValueError, KeyError):
        return
    state_cache.write_entry(path, key, {"format": FORMAT},
                            {"policy": zlib.compress(text.encode("utf-8"), 1)})
    if _saved % PRUNE_EVERY == 0:  # not per file: listing the folder costs a long run
        prune(path.parent)
    _saved += 1


def prune(folder: Path, most: int = MAX_ENTRIES, most_bytes: int = MAX_BYTES) -> int:
    """Past either bound, remove the least recently used entries (a hit touches its entry)
    until PRUNE_TO of both is left; how many were removed."""
    try:
        entries = []
        for entry in os.scandir(folder):
            if entry.name.startswith(PREFIX):
                with contextlib.suppress(OSError):
                    st = entry.stat()
                    entries.append((st.st_mtime_ns, st.st_size, entry.path))
    except OSError:
        return 0
    total = sum(size for _, size, _ in entries)
    if len(entries) <= most and total <= most_bytes:
        return 0
    entries.sort()
    count, removed = len(entries), 0
    for _, size, path in entries:
        if count <= most * PRUNE_TO and total <= most_bytes * PRUNE_TO:
            break
        with contextlib.suppress(OSError):
            os.unlink(path)
            removed += 1
        count, total = count - 1, total - size
    return removed
