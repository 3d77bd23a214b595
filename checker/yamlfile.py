"""Safe YAML loading that remembers where each value came from, for `file:line: message` errors."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checker.errors import PrivcheckError

if TYPE_CHECKING:
    import yaml


@cache
def _loader() -> Any:
    """libyaml's safe loader when PyYAML was built with it (10x faster), else the pure-Python
    one. PyYAML is imported on the first file parsed: a warm run with no configuration file
    parses none (the packs, lexicons and declarations come from the compiled-state cache)."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlFile:
    """A parsed YAML document plus the node tree, so a JSON path can be turned into a line."""

    def __init__(self, path: str, text: str, error: type[PrivcheckError]) -> None:
        self.path = path
        self._error = error
        import yaml

        _Loader = _loader()
        try:
            _check_depth(text)
            self.node = yaml.compose(text, Loader=_Loader)
            self.data = yaml.load(text, Loader=_Loader)
        except yaml.reader.ReaderError as exc:  # a control character: one line, with its line
            line = text.count("\n", 0, max(0, exc.position)) + 1
            raise error(f"invalid YAML: {exc.reason} (character #x{exc.character:04x})"
                        if isinstance(exc.character, int) else f"invalid YAML: {exc.reason}",
                        path, line) from None
        except RecursionError:
            raise error(f"invalid YAML: nested more than {MAX_DEPTH} levels deep", path) from None
        except (ValueError, OverflowError) as exc:  # a scalar YAML cannot build: 2026-02-30
            line, value = _bad_scalar(self.node)
            what = f"'{value}' is not a valid value" if value else "invalid value"
            raise error(f"invalid YAML: {what} ({exc})", path, line) from None
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
        if "\x00" in str(path):  # os calls raise ValueError on it: one line instead
            raise error("file name contains a NUL character", str(path).replace("\x00", "\\0"))
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise error("no such file", str(path)) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise error(f"cannot read: {exc}", str(path)) from None
        return cls(str(path), text, error)

    def line_of(self, location: Sequence[str | int]) -> int | None:
        """1-based line of the value at `location` (keys and indexes), or of its nearest parent."""
        import yaml

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


MAX_DEPTH = 200  # far deeper than any real rule pack, lexicon or config


def _check_depth(text: str) -> None:
    """Refuse YAML nested over MAX_DEPTH levels before composing it: libyaml's composer
    recurses in C, and 100,000 nested `[` crash the process (a segfault, not an error).
    Only text that could be that deep (many brackets, many `- ` on a line, deep indentation)
    pays for the event scan."""
    if text.count("[") + text.count("{") <= MAX_DEPTH and not any(
            line.count("- ") > MAX_DEPTH // 4 or len(line) - len(line.lstrip(" ")) > MAX_DEPTH
            for line in text.splitlines()):
        return
    import yaml

    depth = 0
    for event in yaml.parse(text, Loader=_loader()):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise RecursionError
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def _bad_scalar(root: yaml.Node | None) -> tuple[int | None, str]:
    """Line and text of the first scalar the safe constructor refuses (an impossible date)."""
    import yaml

    constructor = yaml.SafeLoader("")
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            try:
                constructor.construct_object(node, deep=True)
            except (ValueError, OverflowError, yaml.YAMLError):
                return node.start_mark.line + 1, str(node.value)[:40]
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            stack.extend(n for pair in reversed(node.value) for n in reversed(pair))
    return None, ""


@cache
def load_schema(path: str) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))
