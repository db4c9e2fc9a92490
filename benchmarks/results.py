"""What a benchmark reports: one row per measurement (README, "Benchmarks"), each with checks against its
targets, written as JSON (for tools and the quick test) and as a Markdown table (for people).

A row carries its figures as numbers, never as prose, so that a run can be compared with the
last one; the prose lives in ``what`` and in each check's ``target``.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

COMPARISONS = {"<=": operator.le, ">=": operator.ge, "<": operator.lt, ">": operator.gt}


@dataclass(frozen=True)
class Check:
    """One figure and the bound it must keep, e.g. ``time ratio 0.21 <= 0.3``."""

    name: str
    value: float
    compare: str
    limit: float
    unit: str = ""

    @property
    def passed(self) -> bool:
        return COMPARISONS[self.compare](self.value, self.limit)

    def as_text(self) -> str:
        return f"{self.name} {_number(self.value)}{self.unit}"

    def target_text(self) -> str:
        return f"{self.name} {self.compare} {_number(self.limit)}{self.unit}"


@dataclass(frozen=True)
class Measurement:
    """One row of the results table: the issue's number, what was measured, its checks."""

    number: int
    what: str
    checks: tuple[Check, ...] = ()
    figures: dict[str, float] = field(default_factory=dict)
    """Figures that explain the checks, shown with them (``{"first crawl s": 37.2}``)."""
    details: dict[str, float | int | str] = field(default_factory=dict)
    """Everything else measured on the way, in the JSON only."""
    skipped: str | None = None
    """Why the row was not measured (a missing peer, no database server); None if it was."""

    @property
    def passed(self) -> bool | None:
        if self.skipped is not None:
            return None
        return all(check.passed for check in self.checks)

    def as_json(self) -> dict:
        row = asdict(self)
        row["checks"] = [asdict(check) | {"passed": check.passed} for check in self.checks]
        row["passed"] = self.passed
        return row


def write_results(
    directory: Path, measurements: Sequence[Measurement], machine: dict[str, str]
) -> tuple[Path, Path]:
    """``results.json`` and ``results.md`` in ``directory``; returns their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    json_path, markdown_path = directory / "results.json", directory / "results.md"
    rows = [measurement.as_json() for measurement in sorted(measurements, key=lambda m: m.number)]
    json_path.write_text(
        json.dumps({"machine": machine, "measurements": rows}, indent=2) + "\n", encoding="utf-8"
    )
    markdown_path.write_text(markdown_table(measurements, machine), encoding="utf-8")
    return json_path, markdown_path


def markdown_table(measurements: Sequence[Measurement], machine: dict[str, str]) -> str:
    lines = [
        "| # | what | value | target | result |",
        "|---|------|-------|--------|--------|",
    ]
    for row in sorted(measurements, key=lambda m: m.number):
        shown = [check.as_text() for check in row.checks]
        shown += [f"{name} {_number(value)}" for name, value in row.figures.items()]
        value = "; ".join(shown) or "—"
        target = "; ".join(check.target_text() for check in row.checks) or "—"
        result = f"skipped: {row.skipped}" if row.skipped else ("pass" if row.passed else "**FAIL**")
        lines.append(f"| {row.number} | {row.what} | {value} | {target} | {result} |")
    context = ", ".join(f"{key}: {value}" for key, value in machine.items())
    return "\n".join(lines) + f"\n\nMachine: {context}\n"


def _number(value: float) -> str:
    """Three significant figures, without a trailing ``.0`` on whole numbers."""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"
