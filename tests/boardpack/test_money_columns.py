"""Money columns of the board pack: scaled together, and a small amount never reads as zero."""

from __future__ import annotations

from decimal import Decimal

from pmodesk.boardpack.format import MINUS, Money


def test_small_amounts_beside_millions_are_not_shown_as_zero():
    money = Money("GBP")
    header, cells = money.column("Investment", [Decimal("468000000.00"), Decimal("12000.00"), Decimal("0.00"),
                                                Decimal("-9000.00"), None, Decimal("2500000.00")])
    assert header == "Investment (£m)"
    assert cells == ["468.0", "<0.1", "0.0", f"{MINUS}<0.1", "—", "2.5"]


def test_columns_below_a_million_stay_in_whole_units():
    header, cells = Money("GBP").column("Investment", [Decimal("950000.00"), Decimal("12.40")])
    assert header == "Investment"
    assert cells == ["£950,000", "£12"]
