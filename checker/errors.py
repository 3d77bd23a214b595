"""Errors that end in one clear line for the user (file, line when known) and exit code 2."""

from __future__ import annotations


class PrivcheckError(Exception):
    """A problem the user can fix: bad input, bad config, bad rule file. Never a traceback."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = self.path or ""
        if self.path and self.line:
            where = f"{self.path}:{self.line}"
        return f"{where}: {self.message}" if where else self.message


class InputFileError(PrivcheckError):
    """A policy file that cannot be read as a policy (missing, empty, binary, wrong encoding)."""


class RuleFileError(PrivcheckError):
    """A rule pack or lexicon that fails to parse or to validate."""


class ConfigError(PrivcheckError):
    """A configuration file or command-line selection that makes no sense."""
