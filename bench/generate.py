"""A large generated portfolio for ``make bench``: 500 initiatives, 5,000 benefits, 250,000 measurements."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from pmodesk.domain import model
from pmodesk.domain.enums import Action, Comparator, Direction, Metric, Stage
from pmodesk.store import Store

AS_OF = date(2026, 10, 31)


def generate(path: Path, initiatives: int = 500, benefits_each: int = 10, measurements_each: int = 50) -> None:
    rng = random.Random(500)

    def populate(store: Store) -> None:
        with store.edit(audit=False) as edit:
            edit.insert_many([model.Objective(f"O{n}", f"Objective {n}", id=n + 1) for n in range(20)])
            stages = list(Stage)
            edit.insert_many([
                model.Initiative(f"I{n:04d}", f"Initiative {n}", stages[n % len(stages)],
                                 planned_investment=Decimal(rng.randrange(100_000, 5_000_000)),
                                 approval_date=date(2024, 1, 1) + timedelta(days=n),
                                 planned_go_live=date(2025, 1, 1) + timedelta(days=n),
                                 risk_likelihood=rng.randint(1, 5), risk_impact=rng.randint(1, 5), id=n + 1)
                for n in range(initiatives)])
            edit.insert_many([model.ObjectiveLink(n + 1, n % 20 + 1) for n in range(initiatives) if n % 7])
            edit.insert_many([model.PivotRule("R1", n + 1, Metric.REALISATION_VS_PLAN_PCT, Comparator.LT, Decimal(70),
                                              Action.REVIEW, date(2023, 12, 1)) for n in range(initiatives)])
            spend, costs = [], []
            for n in range(initiatives):
                for month in range(36):
                    day = date(2024, 1, 31) + timedelta(days=30 * month)
                    spend.append(model.PlannedSpend(n + 1, day, Decimal("25000.00")))
                    if day <= AS_OF:
                        costs.append(model.CostActual(n + 1, day, Decimal(rng.randrange(2_000_000, 3_000_000)) / 100))
            edit.insert_many(spend)
            edit.insert_many(costs)
            benefits, trajectory, measurements = [], [], []
            for n in range(initiatives * benefits_each):
                baseline_date = date(2024, 6, 30)
                benefits.append(model.Benefit(
                    f"B{n:05d}", n // benefits_each + 1, f"Benefit {n}", "measure", Direction.HIGHER,
                    Decimal(200), date(2026, 6, 30), baseline_value=Decimal(100), baseline_date=baseline_date,
                    annual_value=Decimal(rng.randrange(10_000, 1_000_000)), owner="Owner", id=n + 1))
                trajectory.append(model.TrajectoryPoint(n + 1, date(2025, 6, 30), Decimal(130)))
                for k in range(measurements_each):
                    when = baseline_date + timedelta(days=14 * (k + 1))
                    measurements.append(model.Measurement(n + 1, when, Decimal(100 + k * 2 + rng.randint(-5, 5))))
            edit.insert_many(benefits)
            edit.insert_many(trajectory)
            edit.insert_many(measurements)

    Store.create(path, model.Portfolio(name="Bench portfolio", currency="GBP"), populate=populate,
                 replace_existing=True).close()
