"""This month's spend by workload, and each budget against its limit, through the generated typed client.

    node scripts/python-client.mjs http://localhost:3000/docs/json examples/python/generated
    CROSSOVER_URL=http://localhost:3000 CROSSOVER_TOKEN=cx_live_... \\
        PYTHONPATH=examples/python/generated python3 examples/python/spend_by_workload.py

Every value below is a typed attribute of a dataclass (cost_usd: str, used_percent: float), checked when the
answer was parsed: a field the API stopped sending fails here, not three functions later.
"""
import os
from datetime import datetime, timezone

from crossover_client import CrossoverClient


def month_window(now: datetime) -> "tuple[str, str]":
    """The current UTC calendar month as [from, to) in RFC 3339."""
    start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = start.replace(year=start.year + 1, month=1) if start.month == 12 else start.replace(month=start.month + 1)
    return start.isoformat().replace("+00:00", "Z"), end.isoformat().replace("+00:00", "Z")


def main() -> None:
    client = CrossoverClient(os.environ["CROSSOVER_URL"], os.environ["CROSSOVER_TOKEN"])
    start, end = month_window(datetime.now(timezone.utc))

    report = client.reports_spend(from_=start, to=end, granularity="month", group_by=["workload"])
    print(f"Spend by workload from {start} to {end}")
    for row in report.rows:
        print(f"  {row.workload:<20} {row.cost_usd:>12} USD {row.requests:>8.0f} requests")
    print(f"  {'total':<20} {report.totals.cost_usd:>12} USD {report.totals.requests:>8.0f} requests")

    print("Budgets")
    for budget in client.budgets_list().data:
        print(f"  {budget.name:<20} {budget.spent_usd:>12} of {budget.limit_usd} USD ({budget.used_percent:g}% used)")


if __name__ == "__main__":
    main()
