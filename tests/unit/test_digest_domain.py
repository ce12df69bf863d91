from datetime import date

from bot.domain.digest import CountRow, Line, activity_section

DAY = date(2025, 6, 9)


def test_activity_section_sums_organisations_and_names_the_silent():
    by_organisation = [
        CountRow(key=11, total=5, today=2, people=100, people_today=30, children=60, parents=20),
        CountRow(key=12, total=1, today=0, people=10, people_today=0, specialists=4, others=1),
    ]
    by_item = [
        CountRow(key=3, total=4, today=2, people=90, people_today=30),
        CountRow(key=9, total=2, today=0, people=20, people_today=0),
        CountRow(key=99, total=0, today=0, people=0, people_today=0),  # not in the plan
    ]
    section = activity_section(
        by_organisation,
        by_item,
        day=DAY,
        item_titles={3: "Raids", 9: "Meetings", 12: "Report"},
        organisations={11: "School 7", 12: "College", 13: "School 2", 14: "Gymnasium"},
    )
    assert (section.today, section.total) == (2, 6)
    assert (section.people_today, section.people_total) == (30, 110)
    assert (section.children, section.parents, section.specialists, section.others) == (
        60,
        20,
        4,
        1,
    )
    # Every plan item is listed, reported or not, in plan order; an unknown number by itself.
    assert section.by_item == (
        Line(3, "Raids", 2, 4),
        Line(9, "Meetings", 0, 2),
        Line(12, "Report", 0, 0),
        Line(99, "99", 0, 0),
    )
    # The busiest organisation first.
    assert section.by_organisation == (Line(11, "School 7", 2, 5), Line(12, "College", 0, 1))
    assert section.silent == ("Gymnasium", "School 2")
    assert section.organisations == 4


def test_activity_section_of_an_area_with_nothing():
    section = activity_section([], [], day=DAY, item_titles={1: "Plan"}, organisations={})
    assert (section.today, section.total, section.people_total) == (0, 0, 0)
    assert section.by_item == (Line(1, "Plan", 0, 0),)
    assert section.by_organisation == () and section.silent == ()
