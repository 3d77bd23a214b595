"""Rule-level evidence order (issue 8): an address spelt out against robots is quoted with the
sentence that offers it as the way to write, ahead of the bare address."""

from __future__ import annotations

import pytest

from checker.models import Status
from tests.conftest import check_text


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("## Contact\n\nIf you think we broke this policy, please write to us by emailing "
         "`help [at] shop-example.com`.", "please write to us by emailing"),
        ("Questions about your data? Send a note to privacy (at) bakery-example (dot) org and "
         "we will answer within a week.", "Send a note to privacy"),
    ],
)
def test_obfuscated_email_quoted_with_its_sentence(plan, text: str, first: str) -> None:  # type: ignore[no-untyped-def]
    result = next(r for r in check_text(text, plan).results if r.rule == "core.contact")
    assert result.status == Status.PASS
    assert first in result.evidence[0].quote, result.evidence


def test_plain_email_still_quoted(plan) -> None:  # type: ignore[no-untyped-def]
    result = next(r for r in check_text("Email privacy@shop-example.com with any question.",
                                         plan).results if r.rule == "core.contact")
    assert result.status == Status.PASS
    assert "privacy@shop-example.com" in result.evidence[0].quote
