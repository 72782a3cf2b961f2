"""Periods the partnership counts in."""

from datetime import date


def financial_year_start(day: date) -> date:
    """1 April of the financial year `day` falls in (the Home Office's statistics and the
    annual report count in financial years)."""
    return date(day.year if day.month >= 4 else day.year - 1, 4, 1)
