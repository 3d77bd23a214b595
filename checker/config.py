"""Configuration: privcheck.yaml (or [tool.privcheck] in pyproject.toml), found by walking up.

It selects packs and rules, overrides severities, declares facts about the business (audience,
jurisdictions, direct-marketing sharing), adds rule files, lists waivers and says which files are
policies (`paths`, `include`, `exclude`, `respect_gitignore`). Every mistake is a ConfigError
naming the file and line.

As in ruff, the configuration of a policy is the nearest one in the policy's folder or above
(`find_config`), unless `--config` names one for every file; paths inside a configuration (rule
and lexicon files, `paths`, `include`/`exclude` patterns, waiver globs) are relative to its
folder.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import os
import sys
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Literal

from checker.builtin import declarations as declarations  # re-exported: its old home
from checker.errors import ConfigError
from checker.records import Severity
from checker.words import did_you_mean
from checker.yamlfile import YamlFile


def _toml() -> Any:
    """tomllib, imported only when a pyproject.toml is read (most runs read none)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    return tomllib

CONFIG_NAMES = ("privcheck.yaml", ".privcheck.yaml", "privcheck.yml")


# The configuration as plain dataclasses: a run without a configuration file (or with one whose
# content was validated before) never imports pydantic, which costs more than
# checking a small policy. Validation is checker/config_schema.py's pydantic models, whose
# fields these mirror (tests/test_lean.py keeps them in step).


@dataclass(kw_only=True)
class Waiver:
    """An accepted failure: shown and counted as waived, never hidden."""

    rule: str
    paths: str | list[str] = "*"
    reason: str
    expires: date | None = None
    _base: str | None = field(default=None, repr=False, compare=False)  # the file's folder

    def matches(self, rule: str, path: str) -> bool:
        if rule != self.rule:
            return False
        globs = [self.paths] if isinstance(self.paths, str) else self.paths
        norm = path.replace(os.sep, "/")
        rel = os.path.relpath(path).replace(os.sep, "/") if os.path.isabs(path) else norm
        candidates = {norm, rel, norm.removeprefix("./")}
        if self._base:  # relative to the configuration that declares the waiver
            candidates.add(os.path.relpath(os.path.abspath(path), self._base)
                           .replace(os.sep, "/"))
        return any(
            fnmatch.fnmatch(candidate, g) or fnmatch.fnmatch(os.path.basename(norm), g)
            for g in globs
            for candidate in candidates
        )

    def expired(self, today: date) -> bool:
        return self.expires is not None and self.expires < today


@dataclass(kw_only=True)
class Config:
    packs: list[str] | None = None  # None: every built-in pack
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    declare: dict[str, Any] = field(default_factory=dict)
    rule_files: list[str] = field(default_factory=list)
    lexicon_files: list[str] = field(default_factory=list)  # extra phrase facts (YAML lexicons)
    waivers: list[Waiver] = field(default_factory=list)
    fail_on: Literal["error", "warning", "info", "never"] = "error"
    max_size_mb: float = 5.0
    # Which files are policies. `paths`: what `check` and `report` read when given no PATH.
    # `include`/`exclude`: gitignore-style patterns (relative to the config's folder) for the
    # files found in folders; None = the policy extensions. Files named on the command line are
    # always read unless --force-exclude (the pre-commit hook passes it).
    paths: list[str] = field(default_factory=list)
    include: list[str] | None = None
    exclude: list[str] = field(default_factory=list)
    respect_gitignore: bool = True
    # Inputs (issue 12): never fetch URLs; read DOCX tracked changes as the original; named sets
    # of documents checked as one policy (see checker/bundles.py).
    offline: bool = False
    docx_original: bool = False
    url_timeout: float = 20.0
    bundles: dict[str, list[str]] = field(default_factory=dict)
    bundle_cwd: list[str] = field(default_factory=list)  # given by --bundle
    source: str | None = None  # where it was read from
    lines: dict[str, int] = field(default_factory=dict)
    _given: set[str] = field(default_factory=set, repr=False, compare=False)  # keys the file sets

    def given(self, key: str) -> bool:
        """Whether the configuration file sets `key` (else it is the default)."""
        return key in self._given

    def line_of(self, key: str) -> int | None:
        return self.lines.get(key)

    @property
    def base(self) -> str:
        """The folder the configuration's relative paths start from (cwd when there is no
        file)."""
        return os.path.dirname(os.path.abspath(self.source)) if self.source else os.getcwd()

    def model_copy(self, update: dict[str, Any] | None = None) -> Config:
        """A copy with some settings changed (the command line over the file)."""
        return dataclasses.replace(self, **(update or {}), _given=self._given)

    def model_dump(self, mode: str = "python", exclude: set[str] | None = None) -> dict[str, Any]:
        """The settings as pydantic dumped them: `bundle_cwd` and `lines` are never part of
        them, waivers are mappings, and in JSON mode severities and dates are strings."""
        skip = {"bundle_cwd", "lines", "_given", *(exclude or ())}
        return {f.name: _dump(getattr(self, f.name), mode == "json")
                for f in dataclasses.fields(self) if f.name not in skip}


def _dump(value: Any, json_mode: bool) -> Any:
    if isinstance(value, Waiver):
        return {f.name: _dump(getattr(value, f.name), json_mode)
                for f in dataclasses.fields(value) if not f.name.startswith("_")}
    if isinstance(value, list):
        return [_dump(v, json_mode) for v in value]
    if isinstance(value, dict):
        return {k: _dump(v, json_mode) for k, v in value.items()}
    if json_mode and isinstance(value, Severity):
        return value.value
    if json_mode and isinstance(value, date):
        return value.isoformat()
    return value


def declared_values(config: Config) -> dict[str, Any]:
    """The user's declarations over the defaults, checked against declarations.yaml."""
    spec = declarations()
    values = {key: item.get("default") for key, item in spec.items()}
    for key, value in config.declare.items():
        if key not in spec:
            raise ConfigError(
                f"unknown declaration '{key}'{did_you_mean(key, spec)} "
                f"(known: {', '.join(sorted(spec))})",
                config.source, config.line_of(f"declare.{key}"),
            )
        allowed = spec[key]["values"]
        items = value if spec[key].get("list") else [value]
        if spec[key].get("list") and not isinstance(value, list):
            items = [value]
            value = [value]
        for item in items:
            if item not in allowed:
                raise ConfigError(
                    f"declare.{key}: {item!r} is not one of {allowed}",
                    config.source, config.line_of(f"declare.{key}"),
                )
        values[key] = value
    return values


def _lines(yf: YamlFile, data: dict[str, Any]) -> dict[str, int]:
    lines: dict[str, int] = {}
    for key, value in data.items():
        lines[key] = yf.line_of([key]) or 0
        if isinstance(value, dict):
            for sub in value:
                lines[f"{key}.{sub}"] = yf.line_of([key, sub]) or 0
        if isinstance(value, list):
            for i in range(len(value)):
                lines[f"{key}.{i}"] = yf.line_of([key, i]) or 0
    return lines


def validate(data: dict[str, Any], source: str, lines: dict[str, int]) -> dict[str, Any]:
    """A file's settings checked by checker/config_schema.py (pydantic, imported only here),
    as the values pydantic made of them; a mistake is a ConfigError with the file and line."""
    from pydantic import ValidationError

    from checker.config_schema import ConfigSchema

    try:
        model = ConfigSchema(**data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        line = lines.get(loc) or lines.get(".".join(str(p) for p in err["loc"][:2])) or \
            lines.get(str(err["loc"][0]))
        raise ConfigError(f"{loc}: {err['msg']}", source, line) from None
    values = {name: getattr(model, name) for name in ConfigSchema.model_fields}
    values["waivers"] = [Waiver(**{name: getattr(w, name) for name in type(w).model_fields})
                         for w in model.waivers]
    return values


# A configuration file's settings once checked: the values, the line of each key, the keys set.
Settings = tuple[dict[str, Any], dict[str, int], list[str]]


def _settings(data: Any, source: str, lines: dict[str, int]) -> Settings:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError("configuration must be a mapping", source, 1)
    for key in data:
        if not isinstance(key, str):  # `null:` or `1:` would raise TypeError in Config(**data)
            raise ConfigError(f"configuration key {key!r} is not a name", source,
                              lines.get(str(key)))
    return (validate(data, source, lines) if data else {}), lines, list(data)


def _finish(settings: Settings, source: str) -> Config:
    """The Config of checked settings, with the paths in it made relative to its folder."""
    values, lines, given = settings
    config = Config(**values)
    config.source = source
    config.lines = lines
    config._given = set(given)
    base = Path(source).parent
    config.rule_files = [str(base / f) if not os.path.isabs(f) else f for f in config.rule_files]
    for waiver in config.waivers:
        waiver._base = str(base.resolve())
    config.lexicon_files = [
        str(base / f) if not os.path.isabs(f) else f for f in config.lexicon_files
    ]
    return config


def _read_settings(path: Path) -> Settings:
    if path.name == "pyproject.toml":
        tomllib = _toml()
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read: {exc}", str(path)) from None
        return _settings(data.get("tool", {}).get("privcheck", {}), str(path), {})
    yf = YamlFile.load(path, ConfigError)
    data = yf.data
    return _settings(data, str(path), _lines(yf, data) if isinstance(data, dict) else {})


def _settings_entry(settings: Settings) -> tuple[dict[str, Any], dict[str, bytes | None]] | None:
    """Checked settings as a cache entry, or None when they do not come back equal from JSON
    (a YAML date under `declare:`, say): then the file is parsed and checked on every run."""
    import json

    values, lines, given = settings
    data = {**values}
    if "severity" in data:
        data["severity"] = {k: v.value for k, v in data["severity"].items()}
    if "waivers" in data:
        data["waivers"] = [{"rule": w.rule, "paths": w.paths, "reason": w.reason,
                            "expires": w.expires.isoformat() if w.expires else None}
                           for w in data["waivers"]]
    entry = {"values": data, "lines": lines, "given": given}
    try:
        if _settings_restore(json.loads(json.dumps(entry)), {}) != settings:
            return None
    except (TypeError, ValueError):
        return None
    return entry, {}


def _settings_restore(entry: dict[str, Any], _blobs: object) -> Settings:
    values = dict(entry["values"])
    if "severity" in values:
        values["severity"] = {k: Severity(v) for k, v in values["severity"].items()}
    if "waivers" in values:
        values["waivers"] = [
            Waiver(rule=w["rule"], paths=w["paths"], reason=w["reason"],
                   expires=date.fromisoformat(w["expires"]) if w["expires"] else None)
            for w in values["waivers"]]
    if not isinstance(entry["lines"], dict) or not isinstance(entry["given"], list):
        raise ValueError("not a configuration entry")
    return values, entry["lines"], entry["given"]


def load_config_file(path: str | Path) -> Config:
    """A configuration file's Config. Its checked settings are kept in the compiled-state cache,
    keyed by the file's name and content and by this module and the schema, so a warm run
    imports neither PyYAML nor pydantic for an unchanged file; a file with a mistake is never
    cached, and gives its one-line error every time."""
    import checker.state_cache as state_cache

    path = Path(path)
    schema = Path(__file__).with_name("config_schema.py")
    settings = state_cache.cached([path, Path(__file__), schema], "config", "1",
                                  lambda: _read_settings(path), _settings_restore,
                                  _settings_entry, prefix="config")
    return _finish(settings, str(path))


def find_config(start: Path | None = None) -> Path | None:
    """privcheck.yaml, or a pyproject.toml with [tool.privcheck], in the directory or above."""
    here = (start or Path.cwd()).resolve()
    return _find_in(str(here))


@cache
def _find_in(here_str: str) -> Path | None:
    """Cached per folder: a run over thousands of policies in a few folders looks once each."""
    here = Path(here_str)
    for directory in [here, *here.parents]:
        for name in CONFIG_NAMES:
            if (directory / name).is_file():
                return directory / name
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and _has_privcheck_table(pyproject):
            return pyproject
    return None


def _has_privcheck_table(pyproject: Path) -> bool:
    """Whether pyproject.toml has a [tool.privcheck] table (parsed: the words in a comment or a
    string are not one). A broken file that mentions it is taken, so its error is shown. The
    answer is kept in the compiled-state cache by the file's content: a project's pyproject.toml
    names its `privcheck` script, and parsing it on every run costs more than the rest of a
    cached check's configuration lookup."""
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if "privcheck" not in text:
        return False
    import checker.state_cache as state_cache

    def build() -> bool:
        tomllib = _toml()
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            return "[tool.privcheck]" in text
        tool = data.get("tool")
        return isinstance(tool, dict) and "privcheck" in tool

    def restore(data: dict[str, Any], _blobs: object) -> bool:
        if not isinstance(data.get("table"), bool):
            raise ValueError("not a pyproject entry")
        return data["table"]

    return state_cache.cached([pyproject], "pyproject", "1", build, restore,
                              lambda found: ({"table": found}, {}), prefix="pyproject")


def config_for(path: str) -> Path | None:
    """The configuration file of one policy: the nearest above the policy's folder."""
    return find_config(Path(os.path.abspath(path)).parent)


def load_config(explicit: str | None = None) -> Config:
    _find_in.cache_clear()  # a new command: files may have changed since the last one
    if explicit:
        if not Path(explicit).is_file():
            raise ConfigError("no such config file", explicit)
        return load_config_file(explicit)
    found = find_config()
    return load_config_file(found) if found else Config()


def run_date() -> date:
    """The run's date: today, or PRIVCHECK_TODAY (an ISO date) for reproducible runs and tests,
    since rules such as ccpa.updated-within-12-months compare the policy's date with it."""
    pinned = os.environ.get("PRIVCHECK_TODAY")
    if not pinned:
        return date.today()
    try:
        return date.fromisoformat(pinned)
    except ValueError:
        raise ConfigError(f"PRIVCHECK_TODAY={pinned!r} is not an ISO date (YYYY-MM-DD)") from None
