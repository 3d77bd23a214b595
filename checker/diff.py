"""Policy diffs: which rules a new version of a policy newly fails or newly passes, and why.

The evidence that disappeared (the Do Not Track paragraph that was deleted) is shown with its old
line numbers, which is what a reviewer of a pull request that edits a policy needs to see. Old
versions come from a file or from git (`git show REF:./PATH`); both are parsed from text.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field

from checker.document import Document
from checker.engine import Plan, check_document
from checker.errors import InputFileError, PrivcheckError
from checker.locate import normalise
from checker.readers import ReadOptions, decode, parse_bytes, parse_policy
from checker.records import Evidence, Finding, PolicyReport, Severity, Status


@dataclass
class RuleChange:
    rule: str
    title: str
    severity: Severity
    old: str  # status in the old version ("absent" when the file is new)
    new: str
    message: str = ""
    removed: list[Evidence] = field(default_factory=list)  # old evidence gone from the new text
    location: Evidence | None = None  # where the new failure points

    def to_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule, "title": self.title, "severity": self.severity.value,
            "old": self.old, "new": self.new, "message": self.message,
            "removed": [e.model_dump() for e in self.removed],
            "location": self.location.model_dump() if self.location else None,
        }


@dataclass
class PolicyDiff:
    path: str
    old_label: str
    new_label: str
    regressions: list[RuleChange] = field(default_factory=list)
    fixes: list[RuleChange] = field(default_factory=list)
    newly_waived: list[RuleChange] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path, "old": self.old_label, "new": self.new_label,
            "regressions": [c.to_dict() for c in self.regressions],
            "fixes": [c.to_dict() for c in self.fixes],
            "newly_waived": [c.to_dict() for c in self.newly_waived],
        }


def _gone(old: Finding, new_text: str) -> list[Evidence]:
    """The old finding's evidence whose words no longer appear anywhere in the new version."""
    out, seen = [], set()
    for ev in old.evidence:
        key = normalise(ev.quote)
        if key and key not in new_text and key not in seen:
            seen.add(key)
            out.append(ev)
    return out


def diff_reports(old: PolicyReport | None, new: PolicyReport, new_docs: list[Document],
                 old_label: str, new_label: str) -> PolicyDiff:
    """Compare two checked versions rule by rule (old None: the policy is new). `new_docs`: the
    new version's documents (one, or a bundle's members), where removed evidence is looked for."""
    result = PolicyDiff(new.path, old_label, new_label)
    before = {f.rule: f for f in old.results} if old else {}
    new_text = "\n".join(normalise(doc.text) for doc in new_docs)
    for f in new.results:
        was = before.get(f.rule)
        old_status = was.status.value if was else "absent"
        change = RuleChange(f.rule, f.title, f.severity, old_status, f.status.value, f.message,
                            location=f.location)
        if f.status == Status.FAIL and (was is None or was.status != Status.FAIL):
            change.removed = _gone(was, new_text) if was else []
            result.regressions.append(change)
        elif was is not None and was.status == Status.FAIL and f.status in (
                Status.PASS, Status.NOT_APPLICABLE):
            result.fixes.append(change)
        elif f.status == Status.WAIVED and (was is None or was.status != Status.WAIVED):
            change.message = f.waiver or ""
            result.newly_waived.append(change)
    return result


def diff_texts(path: str, old_text: str | None, new_text: str, plan: Plan,
               old_label: str, new_label: str) -> PolicyDiff:
    old_doc = parse_policy(path, old_text) if old_text is not None else None
    return diff_documents(path, old_doc, parse_policy(path, new_text), plan, old_label, new_label)


def diff_documents(path: str, old_doc: Document | None, new_doc: Document, plan: Plan,
                   old_label: str, new_label: str) -> PolicyDiff:
    """Compare two read documents (any reader: a URL, a DOCX draft, a PDF)."""
    new = check_document(new_doc, plan)
    old = check_document(old_doc, plan) if old_doc is not None else None
    return diff_reports(old, new, [new_doc], old_label, new_label)


def diff_bundle(path: str, old_docs: list[Document], new_docs: list[Document], plan: Plan,
                old_label: str, new_label: str) -> PolicyDiff:
    """Compare two versions of a bundle, each judged as one policy over its members' facts
    (old_docs empty: no member existed then)."""
    from checker.bundles import judge_bundle

    new = judge_bundle(path, new_docs, plan)
    old = judge_bundle(path, old_docs, plan) if old_docs else None
    return diff_reports(old, new, new_docs, old_label, new_label)


def diff_bundle_at(ref: str, path: str, plan: Plan, encoding: str | None = None) -> PolicyDiff:
    """Bundle `path` (bundle:NAME) as it was at git `ref` against the working tree. A member
    that did not exist at `ref` is left out of the old version; a URL member is fetched once and
    stands on both sides (git has no old version of it)."""
    from checker.bundles import PREFIX, members
    from checker.checkfile import read_options
    from checker.readers import is_url, read_policy

    options = read_options(plan, encoding)
    old_docs, new_docs = [], []
    for member in members(path[len(PREFIX):], plan.config):
        try:
            new = read_policy(member, options=options)
            old = new if is_url(member) else git_show_document(ref, member, options)
        except InputFileError as exc:
            raise InputFileError(f"{member}: {exc.message}", path) from None
        new.name = member
        new_docs.append(new)
        if old is not None:
            old.name = member
            old_docs.append(old)
    label = ref if old_docs else "(new bundle)"
    return diff_bundle(path, old_docs, new_docs, plan, label, "working tree")


def _git(cwd: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", cwd, *args], capture_output=True, timeout=60,
                              check=False)
    except FileNotFoundError:
        raise PrivcheckError("git is not installed (needed for --git-ref)") from None
    except subprocess.TimeoutExpired:
        raise PrivcheckError(f"git {' '.join(args)} timed out", cwd) from None


def git_show_bytes(ref: str, path: str) -> bytes | None:
    """The bytes of `path` at `ref`, or None when the file did not exist there."""
    folder = os.path.dirname(os.path.abspath(path))
    if _git(folder, "rev-parse", "--show-toplevel").returncode != 0:
        raise InputFileError("not inside a git repository (needed for --git-ref)", path)
    if _git(folder, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").returncode != 0:
        raise InputFileError(f"unknown git ref '{ref}'", path)
    shown = _git(folder, "show", f"{ref}:./{os.path.basename(path)}")
    if shown.returncode != 0:
        exists = _git(folder, "cat-file", "-e", f"{ref}:./{os.path.basename(path)}")
        if exists.returncode != 0:
            return None
        message = shown.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputFileError(f"git show failed: {message[-1] if message else 'unknown'}", path)
    return shown.stdout


def git_show(ref: str, path: str, encoding: str | None = None) -> str | None:
    """The text of `path` at `ref`, or None when the file did not exist there."""
    data = git_show_bytes(ref, path)
    return None if data is None else decode(f"{ref}:{path}", data, encoding)


def git_show_document(ref: str, path: str, options: ReadOptions) -> Document | None:
    """`path` at `ref` read by the reader its content calls for (a DOCX or PDF too)."""
    data = git_show_bytes(ref, path)
    if data is None:
        return None
    doc = parse_bytes(f"{ref}:{path}", data, options)
    doc.path = path
    return doc
