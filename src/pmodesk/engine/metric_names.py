"""The portfolio metrics of DESIGN.md section 6: (key, title, unit, higher is better), in their order.

A module of its own, with no imports: the window's tiles name them before the engine is imported.
"""

# The section-6 metrics as people read them: (key, label, unit, higher is better). Board pack, UI
# tiles and the CLI table all label them from here.
METRICS = (
    ("benefits_realised_pct", "Benefits realised", "%", True),
    ("realisation_vs_plan_pct", "Realisation vs plan", "%", True),
    ("strategic_alignment_pct", "Strategic alignment", "%", True),
    ("strategic_alignment_by_investment_pct", "Alignment by investment", "%", True),
    ("decision_cycle_time_median_days", "Decision cycle time (median)", " days", False),
    ("decision_cycle_time_mean_days", "Decision cycle time (mean)", " days", False),
    ("escalation_rate_pct", "Escalation rate", "%", False),
    ("portfolio_roi_pct", "Portfolio ROI", "%", True),
    ("forecast_portfolio_roi_pct", "Forecast portfolio ROI", "%", True),
)

PERCENT_KEYS = (
    "benefits_realised_pct", "realisation_vs_plan_pct", "strategic_alignment_pct",
    "strategic_alignment_by_investment_pct", "decision_cycle_time_median_days", "decision_cycle_time_mean_days",
    "escalation_rate_pct", "portfolio_roi_pct", "forecast_portfolio_roi_pct",
)
