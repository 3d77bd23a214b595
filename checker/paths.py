"""Expand command-line arguments (files, folders, globs) into policy files, in a stable order."""

from __future__ import annotations

import glob
import os

from checker.readers import POLICY_EXTENSIONS


def expand_paths(args: list[str]) -> tuple[list[str], list[str]]:
    """(policy files, arguments that matched nothing). Folders are walked for policy extensions;
    explicit files are taken whatever their extension."""
    files: list[str] = []
    missing: list[str] = []
    for arg in args:
        if os.path.isdir(arg):
            found = []
            for root, dirs, names in os.walk(arg):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found += [os.path.join(root, n) for n in names
                          if n.lower().endswith(POLICY_EXTENSIONS) and not n.startswith(".")]
            files += sorted(found)
        elif os.path.exists(arg):
            files.append(arg)
        elif glob.has_magic(arg):
            matched = sorted(p for p in glob.glob(arg, recursive=True) if os.path.isfile(p))
            if matched:
                files += matched
            else:
                missing.append(arg)
        else:
            missing.append(arg)
    return list(dict.fromkeys(files)), missing
