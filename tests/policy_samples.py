"""Policies the scale and report tests write into tmp dirs (the seeds live in policies/)."""

from __future__ import annotations

import shutil
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "policies"
SEED_GLOB = str(SEEDS / "*.txt")  # the five seed policies (policies/ also holds a sample)

# Untrusted text that must stay text in every report: a script, an image with an error
# handler, and markup in the file name.
EVIL_NAME = "<b>evil.txt"
EVIL_POLICY = """Privacy Policy of Evil Widgets

Last updated: January 5, 2024

We collect your name, email address and phone number when you register \
<script>window.__pwned = 1; alert(1)</script> for an account.

Questions about this policy? Email privacy@evil-widgets.com or write to Evil Widgets, \
100 Main Street, Springfield, IL 62701.

We use reasonable administrative, technical and physical safeguards \
<img src=x onerror="window.__pwned=2;alert(1)">, including SSL encryption, to protect your \
information.
"""


def seed_paths() -> list[str]:
    return sorted(str(p) for p in SEEDS.glob("*.txt"))


def corpus(tmp: Path, copies: int = 1, evil: bool = True) -> Path:
    """A folder with the seeds (copied `copies` times) and, optionally, the hostile policy."""
    folder = tmp / "corpus"
    folder.mkdir()
    for i in range(copies):
        for seed in SEEDS.glob("*.txt"):
            shutil.copyfile(seed, folder / f"c{i:03d}_{seed.name}")
    if evil:
        (folder / EVIL_NAME).write_text(EVIL_POLICY, encoding="utf-8")
    return folder
