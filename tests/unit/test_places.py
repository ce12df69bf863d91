"""Places shown by their names: the shipped regions, names for new places, renaming."""

from datetime import UTC, datetime

import pytest

from bot.domain import access
from bot.domain.access import Action, Actor, Grant
from bot.domain.places import (
    PlaceNameError,
    assign_names,
    clean_name,
    is_unnamed,
    names_of,
    new_paths,
    place_chain,
)
from bot.places import shipped_places
from bot.services.exports import file_stem, place_names
from bot.services.places import PlaceError, PlaceService
from storage.areas import AreaRepository, normalise_path
from storage.audit import AuditRepository
from storage.db import open_database

NOW = datetime(2026, 5, 20, 4, 0, tzinfo=UTC)
CITY = "kz/karaganda/shakhtinsk"


def test_kazakhstan_ships_with_its_twenty_regions_named_in_both_languages():
    places = shipped_places()
    country, regions = places[0], places[1:]
    assert country == ("kz", "Қазақстан", "Казахстан")
    assert len(regions) == 20
    paths = [path for path, _, _ in regions]
    assert len(set(paths)) == 20 and all(normalise_path(p) == p for p in paths)
    oblasts = [ru for _, _, ru in regions if "област" in ru]
    cities = [ru for _, _, ru in regions if ru.startswith("город")]
    assert len(oblasts) == 17
    assert cities == ["город Астана", "город Алматы", "город Шымкент"]
    # the oblasts made in 2022
    assert {"kz/abai", "kz/jetisu", "kz/ulytau"} <= set(paths)
    for path, kk, ru in regions:
        assert kk and ru and kk != ru, path
        assert path.rsplit("/", 1)[-1] not in (kk, ru)
        assert ("облысы" in kk) == ("област" in ru), path


def test_names_are_cleaned_and_checked():
    assert clean_name("  Школа\n№ 7 ") == "Школа № 7"
    for bad, code in (("", "short"), ("x", "short"), ("я" * 101, "long")):
        with pytest.raises(PlaceNameError) as error:
            clean_name(bad)
        assert error.value.code == code
    assert names_of("№ 7 мектеп", None).ru == "№ 7 мектеп"  # one language serves both
    assert names_of(None, "Школа № 7").kk == "Школа № 7"
    with pytest.raises(PlaceNameError):
        names_of(None, " ")


def test_new_places_get_the_names_given_from_the_top_down():
    new = new_paths(f"{CITY}/school-7", {"kz", "kz/karaganda"})
    assert new == [CITY, f"{CITY}/school-7"]
    names = assign_names(new, ["Шахтинск қаласы", "№ 7 мектеп"], ["город Шахтинск", "Школа № 7"])
    assert names[CITY].ru == "город Шахтинск" and names[f"{CITY}/school-7"].kk == "№ 7 мектеп"
    assert assign_names(new, [], ["город Шахтинск", "Школа № 7"])[CITY].kk == "город Шахтинск"
    for kk, ru in ((["Школа"], []), ([], []), (["a1", "b2"], ["c3"])):
        with pytest.raises(PlaceNameError) as error:
            assign_names(new, kk, ru)
        assert error.value.code == "count"
    assert assign_names([], [], []) == {}


def test_a_place_made_before_names_is_known_by_its_segment():
    assert is_unnamed(CITY, "shakhtinsk", "shakhtinsk")
    assert not is_unnamed(CITY, "Шахтинск қаласы", "город Шахтинск")
    assert place_chain(["Карагандинская область", "", "Школа № 7"]) == (
        "Карагандинская область / Школа № 7"
    )


@pytest.mark.parametrize(
    ("own", "is_admin", "target", "level", "allowed"),
    [
        ([CITY], False, CITY, 2, True),  # their own city
        ([CITY], False, f"{CITY}/org1", 3, True),  # an organisation in it
        ([CITY], False, "kz/karaganda/temirtau", 2, False),  # a neighbour
        (["kz/karaganda"], False, "kz/karaganda", 1, False),  # a region's name is official
        ([], True, "kz/karaganda", 1, True),  # an administrator may
        ([CITY], False, "kz/karaganda/shakhtinsk-2", 2, False),  # a prefix is not inside
    ],
)
def test_who_may_rename_a_place(own, is_admin, target, level, allowed):
    actor = Actor(7, tuple(Grant("coordinator", path) for path in own), admin=is_admin)
    decision = access.decide(actor, Action.AREA_RENAME, access.Area(target, level))
    assert bool(decision) is allowed


@pytest.fixture
async def places(tmp_path):
    db = await open_database(tmp_path / "q.sqlite3")
    renamed = []
    service = PlaceService(
        AreaRepository(db),
        AuditRepository(db),
        clock=lambda: NOW,
        on_renamed=lambda: renamed.append(True),
    )
    service.renamed = renamed
    yield service
    await db.close()


async def test_seeding_adds_the_regions_once_and_names_old_ones_but_keeps_renames(places):
    areas = places.areas
    old = await areas.ensure("kz/karaganda")  # made before places had names
    assert old.name_ru == "karaganda"
    await areas.ensure("kz/almaty", name_kk="Алматы", name_ru="Алматы")  # named by a person
    await places.seed()
    assert len(await areas.children(1)) == 20
    karaganda = await areas.by_path("kz/karaganda")
    assert (karaganda.id, karaganda.name_kk, karaganda.name_ru) == (
        old.id,
        "Қарағанды облысы",
        "Карагандинская область",
    )
    assert (await areas.by_path("kz/almaty")).name_ru == "Алматы"
    assert await areas.seed(shipped_places()) == 0  # nothing left to do
    await areas.ensure(CITY)
    assert [a.path for a in await areas.unnamed()] == [CITY]


async def test_invite_names_new_places_and_refuses_without_names(places):
    await places.seed()
    with pytest.raises(PlaceError) as error:
        await places.ensure_named(f"{CITY}/school-7", kk=[], ru=["Школа № 7"])
    assert error.value.code == "count" and CITY in error.value.detail
    assert await places.areas.by_path(CITY) is None  # nothing made
    school = await places.ensure_named(
        f"{CITY}/school-7", kk=["Шахтинск қаласы", "№ 7 мектеп"], ru=["город Шахтинск", "Школа № 7"]
    )
    assert (school.name_kk, school.name_ru) == ("№ 7 мектеп", "Школа № 7")
    city = await places.areas.by_path(CITY)
    assert city.name(locale="kk") == "Шахтинск қаласы"
    # an existing place needs no names
    assert (await places.ensure_named(CITY, kk=[], ru=[])).id == city.id
    assert await places.chain(school, "ru") == (
        "Карагандинская область / город Шахтинск / Школа № 7"
    )


async def test_rename_is_checked_and_written_to_the_audit_log(places):
    await places.seed()
    city = await places.ensure_named(CITY, kk=["Шахтинск қаласы"], ru=["город Шахтинск"])
    region = await places.areas.by_path("kz/karaganda")
    with pytest.raises(PlaceError) as error:
        await places.rename(
            region, kk=None, ru="Караганда", actor=Actor(7, (Grant("coordinator", "kz/karaganda"),))
        )
    assert error.value.code == "forbidden"
    assert (await places.areas.get(region.id)).name_ru == "Карагандинская область"
    coordinator = Actor(7, (Grant("coordinator", CITY),))
    renamed = await places.rename(city, kk=None, ru="г. Шахтинск", actor=coordinator)
    assert (renamed.name_kk, renamed.name_ru) == ("Шахтинск қаласы", "г. Шахтинск")
    assert places.renamed == [True]  # remembered people's place names are forgotten
    with pytest.raises(PlaceError) as error:
        await places.rename(city, kk="x", ru=None, actor=coordinator)
    assert error.value.code == "short"
    trail = await places.audit.trail("area", region.id) + await places.audit.trail("area", city.id)
    assert [(e.action, e.allowed) for e in trail] == [("rename", False), ("rename", True)]
    assert "г. Шахтинск" in trail[1].detail


async def test_the_tree_counts_people_here_and_below(places):
    await places.seed()
    school = await places.ensure_named(
        f"{CITY}/school-7", kk=["Шахтинск қаласы", "№ 7 мектеп"], ru=["город Шахтинск", "Школа № 7"]
    )
    city = await places.areas.by_path(CITY)
    db = places.areas.db
    for user_id, area_id in ((1, school.id), (2, school.id), (3, city.id), (1, city.id)):
        await db.execute(
            "INSERT OR IGNORE INTO users (id, full_name, locale, created_at, last_seen_at)"
            " VALUES (?, '', 'ru', '2026-05-01', '2026-05-01')",
            (user_id,),
        )
        await db.execute(
            "INSERT INTO roles (user_id, role, area_id, granted_at) VALUES (?, 'reporter', ?, '')",
            (user_id, area_id),
        )
    await db.execute("UPDATE users SET disabled = 1 WHERE id = 2")
    lines = {line.area.path: line for line in await places.tree("kz/karaganda")}
    assert list(lines) == ["kz/karaganda", CITY, f"{CITY}/school-7"]
    assert (lines["kz/karaganda"].here, lines["kz/karaganda"].total) == (0, 2)
    assert (lines[CITY].here, lines[CITY].total) == (2, 2)  # person 1 counted once
    assert (lines[f"{CITY}/school-7"].here, lines[f"{CITY}/school-7"].total) == (1, 1)
    assert not any(line.unnamed for line in lines.values())


async def test_exports_name_places_by_their_names(places):
    await places.seed()
    school = await places.ensure_named(
        f"{CITY}/school-7", kk=["Шахтинск қаласы", "№ 7 мектеп"], ru=["город Шахтинск", "Школа № 7"]
    )
    city = await places.areas.by_path(CITY)
    above = await places.areas.ancestors(city)
    chains = place_names(above, await places.areas.subtree(CITY), "kk")
    assert chains[school.path] == "Қарағанды облысы / Шахтинск қаласы / № 7 мектеп"
    assert file_stem(city.name("ru"), "ru") == "qorgau-город-Шахтинск-ru"
    assert file_stem("ГУ «Школа № 7»: Шахтинск/Караганда", "kk") == (
        "qorgau-ГУ-Школа-№-7-Шахтинск-Караганда-kk"
    )
