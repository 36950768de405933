"""Which decision version governs a day, and what a sanction (LAS § 37) takes away: plain date arithmetic."""

import datetime

from jobcenter.benefits.periods import Segment, Version, segments_in_month

FACTS = {"household": "v1"}
NOVEMBER = datetime.date(2025, 11, 1)


def day(month: int, number: int) -> datetime.date:
    return datetime.date(2025, month, number)


GRANT = Version(1, "bevilling", day(10, 1), None, FACTS)


def test_one_grant_covers_the_whole_month():
    assert segments_in_month([GRANT], NOVEMBER) == [Segment(GRANT, 30)]


def test_a_sanction_removes_its_days_and_only_its_days():
    sanction = Version(2, "sanktion", day(11, 10), day(11, 12), None)
    assert segments_in_month([GRANT, sanction], NOVEMBER) == [Segment(GRANT, 27)]


def test_a_sanction_of_the_missed_day_alone_removes_one_day():
    sanction = Version(2, "sanktion", day(11, 10), day(11, 10), None)
    assert segments_in_month([GRANT, sanction], NOVEMBER) == [Segment(GRANT, 29)]


def test_a_sanction_does_not_supersede_the_versions_around_it():
    # Unlike a stop or a change, a later sanction leaves the grant in force after its period.
    sanction = Version(2, "sanktion", day(11, 10), day(11, 12), None)
    change = Version(3, "aendring", day(11, 20), None, {"household": "v3"})
    assert segments_in_month([GRANT, sanction, change], NOVEMBER) == [Segment(GRANT, 16), Segment(change, 11)]


def test_a_sanction_across_the_turn_of_the_month_counts_in_both_months():
    sanction = Version(2, "sanktion", day(11, 28), day(12, 2), None)
    assert segments_in_month([GRANT, sanction], NOVEMBER) == [Segment(GRANT, 27)]
    assert segments_in_month([GRANT, sanction], day(12, 1)) == [Segment(GRANT, 29)]


def test_a_sanction_in_another_month_changes_nothing():
    sanction = Version(2, "sanktion", day(10, 5), day(10, 6), None)
    assert segments_in_month([GRANT, sanction], NOVEMBER) == [Segment(GRANT, 30)]


def test_a_sanction_after_a_stop_takes_nothing_more():
    stop = Version(2, "standsning", day(11, 16), None, None)
    sanction = Version(3, "sanktion", day(11, 20), day(11, 22), None)
    assert segments_in_month([GRANT, stop, sanction], NOVEMBER) == [Segment(GRANT, 15)]


def test_a_stop_still_supersedes_everything_after_it():
    stop = Version(2, "standsning", day(11, 16), None, None)
    assert segments_in_month([GRANT, stop], NOVEMBER) == [Segment(GRANT, 15)]
    assert segments_in_month([GRANT, stop], day(12, 1)) == []


def test_a_sanction_alone_grants_nothing():
    sanction = Version(1, "sanktion", day(11, 10), day(11, 12), None)
    assert segments_in_month([sanction], NOVEMBER) == []
