"""Benchmark: kontanthjælp for a million persons in one month.

    uv run python benchmarks/bench_rules.py [--persons 1000000] [--sample 2000]

Builds synthetic households for August 2025 (new law, LAS §§ 16-20; every
rate these households need is known that month: they are all udeboende
and none has the transitional supplement, whose amount is not found) as
columns, then times in one run:

1. the vectorised calculation of all of them in ONE OpenFisca simulation;
2. materialising breakdowns (dataclasses) for a sample of households, as a
   page or letter would, extrapolated to all households;
3. the naive baseline: the same rules one household at a time
   (one simulation each) for a sample, extrapolated - printed as such;
4. the pydantic input path (HouseholdInput models to columns) for a sample,
   extrapolated, to show the cost of building a million models.

"Persons" are the adults whose help is assessed (the simulation's persons);
children are facts of the adults and are counted separately.
"""

from __future__ import annotations

import argparse
import platform
import time
from datetime import date

import numpy as np

from jobcenter.rules import HouseholdColumns, HouseholdInput, calculate_month
from jobcenter.rules.api import base_tax_benefit_system

MONTH = "2025-08"


def synthetic_columns(persons: int, seed: int = 2025) -> HouseholdColumns:
    """About 70 % singles and 30 % couples, realistic-ish facts, all arrays."""
    rng = np.random.default_rng(seed)
    # Household sizes 1 or 2 until the person count is reached.
    sizes = rng.choice([1, 2], size=persons, p=[0.7, 0.3])
    ends = np.cumsum(sizes)
    households = int(np.searchsorted(ends, persons)) + 1
    sizes = sizes[:households]
    sizes[-1] -= int(ends[households - 1] - persons)
    household_index = np.repeat(np.arange(households, dtype=np.int64), sizes)
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    position = (np.arange(persons) - starts[household_index]).astype(np.int32)
    couple = (sizes == 2)[household_index]

    birth_days = rng.integers(np.datetime64("1960-01-01").astype(int), np.datetime64("2005-01-01").astype(int), persons)
    birth_date = birth_days.astype("datetime64[D]")
    children_per_household = rng.choice([0, 0, 0, 1, 2, 3, 4], size=households).astype(np.int32)
    children = children_per_household[household_index]
    applies = np.where(position == 0, True, rng.random(persons) < 0.5)
    yes = np.int8(1)
    no = np.int8(0)
    return HouseholdColumns.from_arrays(
        household_ids=np.array([f"h{i}" for i in range(households)], dtype=object),
        household_index=household_index,
        position=position,
        adult_ids=np.array([f"p{i}" for i in range(persons)], dtype=object),
        adult_names=np.full(persons, None, dtype=object),
        birth_date=birth_date,
        applies_for_help=applies,
        lives_with_parents=np.full(persons, no, dtype=np.int8),
        is_aktivitetsparat=(rng.random(persons) < 0.4).astype(np.int8),
        is_pregnant_past_week_12=np.zeros(persons, dtype=bool),
        has_mental_illness=np.zeros(persons, dtype=bool),
        receives_ekstra_boernetilskud=(~couple) & (children > 0) & (rng.random(persons) < 0.8),
        has_vocational_education=np.full(persons, yes, dtype=np.int8),
        meets_residence_and_employment_requirement=(rng.random(persons) < 0.9).astype(np.int8),
        has_full_time_work_2_5_of_last_10_years=(rng.random(persons) < 0.5).astype(np.int8),
        months_on_help=rng.integers(1, 36, persons).astype(np.int32),
        transitional_supplement_entitled=np.full(persons, no, dtype=np.int8),
        children_in_custody=children,
        youngest_child_birth_date=np.where(children > 0, np.datetime64("2015-06-01"), np.datetime64("NaT")).astype(
            "datetime64[D]"
        ),
        work_income=np.where(rng.random(persons) < 0.3, rng.integers(0, 2_500_000, persons), 0).astype(np.int64),
        work_hours_hundredths=np.zeros(persons, dtype=np.int64),
        other_income=np.where(rng.random(persons) < 0.1, rng.integers(0, 500_000, persons), 0).astype(np.int64),
        child_maintenance_paid=np.zeros(persons, dtype=np.int64),
        number_of_children=children_per_household,
    )


def dicts_for(columns: HouseholdColumns, household_rows: np.ndarray) -> list[dict[str, object]]:
    """JSON-like input for some households, as an API client would send it."""
    result = []
    for row in household_rows:
        members = np.flatnonzero(columns.household_index == row)
        adults = []
        for member in members:
            adults.append(
                {
                    "id": str(columns.adult_ids[member]),
                    "birth_date": str(columns.birth_date[member]),
                    "applies_for_help": bool(columns.applies_for_help[member]),
                    "lives_with_parents": False,
                    "is_aktivitetsparat": bool(columns.is_aktivitetsparat[member]),
                    "receives_ekstra_boernetilskud": bool(columns.receives_ekstra_boernetilskud[member]),
                    "meets_residence_and_employment_requirement": bool(
                        columns.meets_residence_and_employment_requirement[member]
                    ),
                    "has_full_time_work_2_5_of_last_10_years": bool(
                        columns.has_full_time_work_2_5_of_last_10_years[member]
                    ),
                    "months_on_help": int(columns.months_on_help[member]),
                    "transitional_supplement_entitled": False,
                    "work_income_ore": int(columns.work_income[member]),
                    "other_income_ore": int(columns.other_income[member]),
                }
            )
        children = [
            {"id": f"c{k}", "birth_date": "2015-06-01", "parent_ids": [a["id"] for a in adults]}
            for k in range(int(columns.number_of_children[row]))
        ]
        data = {"id": str(columns.household_ids[row]), "adults": adults, "children": children}
        if len(adults) == 2:
            data["relationship"] = "married"
        result.append(data)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=1_000_000, help="adults in the run (default 1,000,000)")
    parser.add_argument("--sample", type=int, default=2_000, help="households for the one-at-a-time baseline")
    parser.add_argument("--repeat", type=int, default=3, help="vectorised runs; the best is reported")
    args = parser.parse_args()

    print(f"Benchmark: jobcenter.rules kontanthjælp for {MONTH} (LAS §§ 16-20)")
    print(f"Machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}, {date.today()}")
    base_tax_benefit_system()  # parameter loading is per process, not per run

    started = time.perf_counter()
    columns = synthetic_columns(args.persons)
    print(
        f"Synthetic input: {columns.adult_count:,} persons (adults) in {columns.household_count:,} households, "
        f"{int(columns.number_of_children.sum()):,} children; built in {time.perf_counter() - started:.2f} s"
    )

    timings = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        result = calculate_month(columns, MONTH)
        timings.append(time.perf_counter() - started)
    vectorised = min(timings)
    total_kr = int(result.household_total_ore.sum()) / 100
    print(
        f"Vectorised, one simulation:   {vectorised:8.2f} s for {columns.adult_count:,} persons "
        f"(best of {args.repeat}: {', '.join(f'{t:.2f}' for t in timings)}); total {total_kr:,.2f} kr."
    )

    rng = np.random.default_rng(7)
    sample_rows = np.sort(
        rng.choice(columns.household_count, size=min(args.sample, columns.household_count), replace=False)
    )

    started = time.perf_counter()
    for row in sample_rows:
        household_result = result[int(row)]
        household_result.to_dict()
    breakdown = time.perf_counter() - started
    per_household = breakdown / len(sample_rows)
    print(
        f"Breakdowns (lazy, to_dict):   {per_household * 1e6:8.1f} µs per household; "
        f"all {columns.household_count:,} would take {per_household * columns.household_count:.1f} s "
        f"(SAMPLE of {len(sample_rows):,}, extrapolated) - built only when looked at"
    )

    one_at_a_time_columns = [columns.subset([int(row)]) for row in sample_rows]
    started = time.perf_counter()
    one_at_a_time_totals = [int(calculate_month(one, MONTH).household_total_ore[0]) for one in one_at_a_time_columns]
    naive = time.perf_counter() - started
    naive_all = naive / len(sample_rows) * columns.household_count
    if one_at_a_time_totals != result.household_total_ore[sample_rows].tolist():
        raise SystemExit("the one-at-a-time totals differ from the vectorised run")
    print(
        f"Naive, one household at a time: {naive:6.2f} s for a SAMPLE of {len(sample_rows):,} households "
        f"({naive / len(sample_rows) * 1000:.2f} ms each); extrapolated to {columns.household_count:,} "
        f"households: {naive_all:,.0f} s ({naive_all / 3600:.1f} h). Same totals as the vectorised run."
    )
    print(f"Speed-up of the vectorised run over the naive baseline: {naive_all / vectorised:,.0f}x")

    dicts = dicts_for(columns, sample_rows)
    started = time.perf_counter()
    models = [HouseholdInput.model_validate(data) for data in dicts]
    HouseholdColumns.from_households(models)
    pydantic_path = time.perf_counter() - started
    print(
        f"Pydantic input path (dict -> HouseholdInput -> columns): {pydantic_path / len(sample_rows) * 1e6:.0f} µs "
        f"per household; {pydantic_path / len(sample_rows) * columns.household_count:.1f} s for all "
        f"(SAMPLE, extrapolated) - payment runs should build columns directly"
    )
    target = "MET" if vectorised < 5 else "MISSED"
    print(f"Target (vectorised million in under 5 s): {target}")


if __name__ == "__main__":
    main()
