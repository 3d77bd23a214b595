"""What a configuration file may hold, as pydantic models: the validation of privcheck.yaml.

checker/config.py holds the configuration as plain dataclasses with the same fields, so that a
run without a configuration file never imports pydantic; a file's settings are validated here
first (`config.validate`), so a mistake is the same one-line error naming the file and line as
ever, and the values are pydantic's (`5` becomes 5.0, "error" a Severity, a date a date).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from checker.records import Severity


class WaiverSchema(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rule: str
    paths: str | list[str] = "*"
    reason: str = Field(min_length=3)
    expires: date | None = None


class ConfigSchema(BaseModel):
    model_config = ConfigDict(extra="forbid")

    packs: list[str] | None = None
    select: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    severity: dict[str, Severity] = Field(default_factory=dict)
    declare: dict[str, Any] = Field(default_factory=dict)
    rule_files: list[str] = Field(default_factory=list)
    lexicon_files: list[str] = Field(default_factory=list)
    waivers: list[WaiverSchema] = Field(default_factory=list)
    fail_on: Literal["error", "warning", "info", "never"] = "error"
    max_size_mb: float = Field(default=5.0, gt=0)
    paths: list[str] = Field(default_factory=list)
    include: list[str] | None = None
    exclude: list[str] = Field(default_factory=list)
    respect_gitignore: bool = True
    offline: bool = False
    docx_original: bool = False
    url_timeout: float = Field(default=20.0, gt=0)
    bundles: dict[str, list[str]] = Field(default_factory=dict)
    # Set by privcheck, not by the file; accepted as they always were (a file that sets them
    # has them overwritten).
    bundle_cwd: list[str] = Field(default_factory=list)
    source: str | None = None
    lines: dict[str, int] = Field(default_factory=dict)
