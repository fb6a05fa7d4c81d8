"""The trade-off view's efficient frontier and value-at-risk distribution, and the optimise dialog's
budgets per fiscal year (DESIGN.md section 17), on the demo portfolio."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
from PySide6.QtWidgets import QMessageBox

from pmodesk.engine.frontier import portfolio_frontier
from pmodesk.engine.optimiser import candidates, optimise, with_spend_by_year
from pmodesk.engine.risk import value_at_risk


def test_frontier_and_value_at_risk_beside_the_trade_off(window, demo_file, output_dir, qtbot):
    window.open_file(demo_file)
    window.resize(1280, 900)
    window.tabs.setCurrentWidget(window.trade_off_view)
    panel = window.trade_off_view.decisions
    qtbot.waitUntil(lambda: panel.frontier.answer is not None and panel.risk.answer is not None, timeout=30000)
    frontier, payload = portfolio_frontier(window.result, window.data.portfolio.risk_weight)
    xs, ys = panel.frontier.curve.getData()
    assert list(xs) == [float(Decimal(p["budget"])) for p in payload["points"]]
    assert list(ys) == [float(Decimal(p["expected_remaining_value"])) for p in payload["points"]]
    assert list(ys) == sorted(ys)
    star = panel.frontier.current.points()[0].pos()
    assert (star.x(), star.y()) == (float(Decimal(payload["current"]["remaining_cost"])),
                                    float(Decimal(payload["current"]["expected_remaining_value"])))
    assert "current plan" in panel.frontier.caption.text()
    var = value_at_risk(window.result)
    assert np.array_equal(panel.risk.answer.portfolio_runs, var.portfolio_runs)
    assert panel.risk.lines["P10"].value() == var.forecast_value.p10 < panel.risk.lines["P90"].value()
    counts = panel.risk.histogram.getData()[1]
    assert counts.sum() == var.runs
    caption = panel.risk.caption.text()
    assert "P10 GBP" in caption and "Monte Carlo" in caption and "seed" in caption
    qtbot.wait(100)
    window.grab().save(str(output_dir / "main-window-trade-off-frontier-risk.png"))
    window.recompute(reload=False)  # a new result: the panel follows it
    window.tabs.setCurrentWidget(window.alignment_view)
    window.tabs.setCurrentWidget(window.trade_off_view)
    qtbot.waitUntil(lambda: panel.frontier.answer is not None, timeout=30000)
    assert panel.frontier.answer[1] == payload


def test_optimise_dialog_takes_budgets_by_fiscal_year(window, demo_file, qtbot, monkeypatch):
    from pmodesk.ui.scenario_dialogs import OptimiseDialog

    window.open_file(demo_file)
    dialog = OptimiseDialog(window.result, Decimal(0), window)
    qtbot.addWidget(dialog)
    dialog.by_year.setText("2027=500,000")
    dialog.run()
    pool = with_spend_by_year(candidates(list(window.result.initiatives), "GBP", Decimal(0)), window.result)
    expected = optimise(pool, None, budget_by_year={2027: 50_000_000})
    assert dialog.choice == expected and dialog.choice.budget is None
    assert "fiscal year 2027" in dialog.answer.text() and dialog.save.isEnabled()
    dialog.budget.setText("300000")
    dialog.run()
    assert dialog.choice.budget == 30_000_000 and dialog.choice.cost <= 30_000_000
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warnings.append(args[2]))
    dialog.by_year.setText("2027=lots")
    dialog.run()
    dialog.budget.setText("")
    dialog.by_year.setText("")
    dialog.run()
    assert len(warnings) == 2 and "fiscal year" in warnings[0]


def test_large_portfolios_compute_off_the_ui_thread(window, demo_file, qtbot, monkeypatch):
    from pmodesk.ui import decision_views

    monkeypatch.setattr(decision_views, "BACKGROUND_FROM_BENEFITS", 0)  # the demo now counts as large
    window.open_file(demo_file)
    window.tabs.setCurrentWidget(window.trade_off_view)
    panel = window.trade_off_view.decisions
    assert panel.risk.caption.text() == "Computing…"  # the window is free while the runs are drawn
    qtbot.waitUntil(lambda: panel.frontier.answer is not None and panel.risk.answer is not None, timeout=30000)
    assert panel.risk.caption.text().startswith("P10 ")
    assert panel.frontier.answer[1] == portfolio_frontier(window.result, window.data.portfolio.risk_weight)[1]
