"""Safe YAML loading that remembers where each value came from, for `file:line: message` errors."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from checker.errors import PrivcheckError

# libyaml's safe loader when PyYAML was built with it (10x faster), else the pure-Python one.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlFile:
    """A parsed YAML document plus the node tree, so a JSON path can be turned into a line."""

    def __init__(self, path: str, text: str, error: type[PrivcheckError]) -> None:
        self.path = path
        self._error = error
        try:
            self.node = yaml.compose(text, Loader=_Loader)
            self.data = yaml.load(text, Loader=_Loader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else None
            problem = exc.problem or exc.context or "invalid YAML"
            if exc.context and exc.context_mark and exc.problem_mark:
                problem = f"{exc.context} (from line {exc.context_mark.line + 1}): {problem}"
            raise error(f"invalid YAML: {problem}", path, line) from None
        except yaml.YAMLError as exc:
            raise error(f"invalid YAML: {exc}", path) from None

    @classmethod
    def load(cls, path: str | Path, error: type[PrivcheckError]) -> YamlFile:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise error("no such file", str(path)) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise error(f"cannot read: {exc}", str(path)) from None
        return cls(str(path), text, error)

    def line_of(self, location: Sequence[str | int]) -> int | None:
        """1-based line of the value at `location` (keys and indexes), or of its nearest parent."""
        node = self.node
        line = node.start_mark.line + 1 if node is not None else None
        for step in location:
            child = None
            if isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    if key.value == step:
                        child = value
                        line = key.start_mark.line + 1
                        break
            elif (isinstance(node, yaml.SequenceNode) and isinstance(step, int)
                  and step < len(node.value)):
                child = node.value[step]
                line = child.start_mark.line + 1
            if child is None:
                break
            node = child
        return line

    def fail(self, message: str, location: Sequence[str | int] = ()) -> PrivcheckError:
        return self._error(message, self.path, self.line_of(location))

    def problems(self, schema: dict[str, Any]) -> list[PrivcheckError]:
        """Every way the document breaks the JSON Schema, each naming its line, in line order
        (most specific first on a line): `rules validate` shows them all."""
        import jsonschema  # only user-supplied files are validated at run time

        validator = jsonschema.Draft202012Validator(schema)
        found: list[tuple[int, int, str, PrivcheckError]] = []
        for err in validator.iter_errors(self.data):
            where = "/".join(str(p) for p in err.absolute_path)
            detail = err.message + (f" (at {where})" if where else "")
            location = list(err.absolute_path)
            if err.validator == "additionalProperties" and isinstance(err.instance, dict):
                # Point at the unexpected key itself, not at the mapping that holds it.
                allowed = err.schema.get("properties", {}) if isinstance(err.schema, dict) else {}
                extra = [k for k in err.instance if k not in allowed]
                location += extra[:1]
            problem = self.fail(detail, location)
            found.append((problem.line or 0, -len(err.path), err.message, problem))
        return [p for *_, p in sorted(found, key=lambda t: t[:3])]

    def validate(self, schema: dict[str, Any]) -> None:
        """Validate against a JSON Schema; the first (most relevant) error names its line."""
        import jsonschema  # only user-supplied files are validated at run time

        validator = jsonschema.Draft202012Validator(schema)
        # The deepest error is the most specific ('fatal' is not a severity, rather than the
        # rule around it being incomplete); the others are counted.
        errors = sorted(validator.iter_errors(self.data), key=lambda e: (-len(e.path), e.message))
        if errors:
            best = errors[0]
            where = "/".join(str(p) for p in best.absolute_path)
            detail = f"{best.message}" + (f" (at {where})" if where else "")
            if len(errors) > 1:
                detail += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
            raise self.fail(detail, list(best.absolute_path))


@cache
def load_schema(path: str) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))
