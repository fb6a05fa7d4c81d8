"""The board pack's decisions under uncertainty (DESIGN.md section 17): the efficient frontier beside the
trade-off chart, and the "value at risk" panel on the dashboard. Content only; the renderers draw it.
"""

from __future__ import annotations

from decimal import Decimal

from pmodesk.boardpack.format import Money, number
from pmodesk.boardpack.model import Column, FrontierChart, Section, Table, cell, text
from pmodesk.domain.model import PortfolioData
from pmodesk.engine.portfolio import PortfolioResult


def frontier_section(data: PortfolioData, result: PortfolioResult, money: Money, scale_of) -> Section:
    """A page of its own (so the sentence stays with its chart): what the frontier means for the current
    plan, in one sentence, and the chart."""
    from pmodesk.engine.frontier import frontier_sentences, portfolio_frontier

    _, payload = portfolio_frontier(result, data.portfolio.risk_weight)
    points = tuple((float(Decimal(p["budget"])), float(Decimal(p["expected_remaining_value"])))
                   for p in payload["points"])
    current = (float(Decimal(payload["current"]["remaining_cost"])),
               float(Decimal(payload["current"]["expected_remaining_value"])))
    largest = max([abs(v) for point in points for v in point] + [abs(v) for v in current] + [1.0])
    scale, unit = scale_of(largest, money.symbol.strip())
    chart = FrontierChart("What each budget buys", f"Budget for remaining cost ({unit})",
                          f"Best expected remaining value ({unit})", scale, points, current)
    sentence = (f"Each point is the exact optimum: the most expected remaining value any set of active and proposed "
                f"initiatives gives within that budget. The current plan (every active initiative continuing) "
                f"costs {money.compact(current[0])} to finish for {money.compact(current[1])}; "
                + _gap_words(payload, money))
    return Section("Efficient frontier", (text(sentence), chart))


def _gap_words(payload: dict, money: Money) -> str:
    value_gap, cost_gap = payload["value_gap"], payload["cost_gap"]
    if Decimal(value_gap) == 0 and Decimal(cost_gap) == 0:
        return "it is on the frontier, so no other set buys more for the same money or the same for less."
    return (f"the same money could buy {money.compact(Decimal(value_gap))} more, or the same value could be had for "
            f"{money.compact(Decimal(cost_gap))} less.")


def value_at_risk_blocks(result: PortfolioResult, money: Money) -> list:
    """The dashboard's "value at risk" panel: P10/P50/P90 of forecast value and ROI, and what drives the downside."""
    from pmodesk.engine.risk import largest_downside, value_at_risk

    var = value_at_risk(result)
    value, roi = var.forecast_value, var.forecast_roi_pct

    def both(money_value: float, roi_value: float | None) -> str:
        return money.whole(money_value) + ("" if roi_value is None else f" (ROI {number(roi_value, 0)}%)")

    rows = ((cell("Forecast value to the end of tracking", bold=True),
             cell(both(value.p10, roi and roi.p10), "right"), cell(both(value.p50, roi and roi.p50), "right"),
             cell(both(value.p90, roi and roi.p90), "right")),)
    words = []
    if var.probability_roi_target is not None:
        words.append(f"Chance of the ROI target: {number(100 * var.probability_roi_target, 0)}%.")
    downside = largest_downside(var, 3)
    if downside:
        words.append("Downside mostly from " + ", ".join(i.code for i in downside) + ".")
    words.append(f"{var.runs:,} Monte Carlo runs (seed {var.seed}) of each forecast trend (Student's t); no forecast: "
                 "latest actual held.")
    # No heading of its own: the table's first column says what it is, so the dashboard stays one page.
    return [Table((Column("Value at risk (funded portfolio)", 1.6), Column("P10", 1, "right", True),
                   Column("P50", 1, "right", True), Column("P90", 1, "right", True)), rows, note=" ".join(words))]
