"""Rate tables for tests. The figures are fictional and marked so: never production rates."""

from __future__ import annotations

# Enough of 2026 to calculate a single applicant over 30 without children
# under the new law: forhøjet sats, the single non-provider supplement and
# the work-income disregard.
RATE_TABLE_2026_YAML = """\
title: TEST - satsregulering 2026 (fiktive tal)
entries:
  - parameter: new_law.base_rates.forhoejet_sats
    effective_from: 2026-01-01
    value: 12900
    unit: currency-DKK
    reference: LAS § 17
    source_url: https://example.invalid/satser-2026
    source_title: Testtabel 2026 (fiktive tal)
    source_kind: official
  - parameter: new_law.supplements.single_non_provider
    effective_from: 2026-01-01
    value: 1130
    unit: currency-DKK
    reference: LAS § 18
    source_url: https://example.invalid/satser-2026
    source_title: Testtabel 2026 (fiktive tal)
    source_kind: official
  - parameter: new_law.work_income.disregard.forhoejet_sats
    effective_from: 2026-01-01
    value: 2500
    unit: currency-DKK
    reference: LAS § 30
    source_url: https://example.invalid/satser-2026
    source_title: Testtabel 2026 (fiktive tal)
    source_kind: official
"""

RATE_TABLE_2026_TOTAL_ORE = (12900 + 1130) * 100

RATE_TABLE_2026_CSV = """\
parameter,effective_from,valid_until,value,unit,reference,source_url,source_title,source_kind,derived_from
new_law.base_rates.forhoejet_sats,2026-01-01,,12900,currency-DKK,LAS § 17,https://example.invalid/satser-2026,Testtabel,official,
"""

# A single applicant over 30, living alone, no children: the household the 2026 table covers.
SINGLE_HOUSEHOLD_2026 = {
    "id": "h2026",
    "adults": [
        {
            "id": "a1",
            "birth_date": "1985-01-01",
            "applies_for_help": True,
            "lives_with_parents": False,
            "is_aktivitetsparat": False,
            "meets_residence_and_employment_requirement": True,
            "has_full_time_work_2_5_of_last_10_years": False,
        }
    ],
}
