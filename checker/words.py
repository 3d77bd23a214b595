"""Words in messages: counts in English ("1 policy", "2 policies") and "did you mean"."""

from __future__ import annotations

from collections.abc import Iterable

_IRREGULAR = {"policy": "policies", "passage": "passages", "is": "are", "was": "were"}


def plural(n: int, singular: str, many: str | None = None) -> str:
    """`n` and the noun that agrees with it: plural(1, "rule") == "1 rule"."""
    if n == 1:
        return f"{n:,} {singular}"
    if many is None:
        many = _IRREGULAR.get(singular) or (
            singular[:-1] + "ies" if singular.endswith("y") and singular[-2:-1] not in "aeiou"
            else singular + "s")
    return f"{n:,} {many}"


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest known name, or '' when none is close."""
    import difflib  # only for a mistake's message

    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""
