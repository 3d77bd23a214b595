"""Paths as CI systems want them: relative to the repository root, with forward slashes."""

from __future__ import annotations

import os


def repo_relative(path: str, root: str | None) -> str:
    """`path` relative to `root` when it lies inside it, else as given (forward slashes)."""
    norm = path.replace(os.sep, "/")
    if root:
        abs_path = os.path.abspath(path)
        abs_root = os.path.abspath(root)
        if abs_path == abs_root or abs_path.startswith(abs_root.rstrip(os.sep) + os.sep):
            return os.path.relpath(abs_path, abs_root).replace(os.sep, "/")
    return norm.removeprefix("./")
