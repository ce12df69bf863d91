from datetime import date

import pytest
import yaml
from openpyxl import Workbook

from bot.domain.plan import DueRule
from bot.domain.plan_validation import Problem
from bot.plan_files import PlanFileError, bundled_plan_path, check_plan_file

HEADER_RU = ["№ п/п", "Наименование мероприятия", "Сроки исполнения", "Ответственные исполнители"]


def _write_csv(path, rows, delimiter=";"):
    path.write_text("\n".join(delimiter.join(row) for row in rows), encoding="utf-8")
    return path


def test_bundled_yaml_checks_clean():
    check = check_plan_file(bundled_plan_path())
    assert check.ok and not check.warnings
    assert len(check.campaign.items) == 19


def test_csv_table_as_a_department_keeps_it(tmp_path):
    path = _write_csv(
        tmp_path / "plan.csv",
        [
            HEADER_RU,
            ["", "I. Организационный этап", "", ""],
            ["1.", "Информационные письма", "до 30 мая", "Отдел образования"],
            ["", "III. Основной этап", "", ""],
            ["2", "Рейды «Подросток»", "1-12 июня", "Школы, полиция"],
            ["3", "Семинар для социальных педагогов", "3 июня", "Отдел образования"],
        ],
    )
    check = check_plan_file(path, year=2026)
    assert check.ok, check.errors
    items = check.campaign.items
    assert [i.stage for i in items] == ["I", "III", "III"]
    assert items[1].due == DueRule.between(date(2026, 6, 1), date(2026, 6, 12))
    assert items[0].due == DueRule.by(date(2026, 5, 30))
    assert check.campaign.start == date(2026, 6, 1)
    assert check.campaign.hashtags == ("#НИК2026_09", "#ҰАН2026_09")
    # one language given: used for both, with a warning per row
    assert items[0].title.kk == items[0].title.ru == "Информационные письма"
    assert {w.problem for w in check.warnings} == {Problem.ONE_LANGUAGE}


def test_table_errors_are_reported_by_row(tmp_path):
    path = _write_csv(
        tmp_path / "plan.csv",
        [
            HEADER_RU,
            ["1", "Письма", "до 30 мая", "Отдел"],
            ["x", "Без номера", "1 июня", "Отдел"],
            ["1", "Повтор номера", "1 июня", "Отдел"],
            ["4", "", "1 июня", "Отдел"],
            ["5", "Непонятный срок", "когда-нибудь", "Отдел"],
        ],
    )
    check = check_plan_file(path, year=2025)
    assert not check.ok
    found = {(e.row, e.problem) for e in check.errors}
    assert found == {
        (3, Problem.NOT_A_NUMBER),
        (4, Problem.DUPLICATE_NUMBER),
        (5, Problem.MISSING),
        (6, Problem.BAD_DUE),
    }


def test_bilingual_xlsx_table(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["План мероприятий"])
    sheet.append(["number", "title_kk", "title_ru", "due", "executors_kk", "executors_ru"])
    sheet.append([1, "Дөңгелек үстел", "Круглый стол", "1-12 июня", "Мектептер", "Школы"])
    sheet.append(
        [2, "Жедел желі", "Горячая линия", "постоянно", "Білім бөлімі", "Отдел образования"]
    )
    sheet.append([3, "Көрме", "Выставка", date(2025, 6, 3), "Мектептер", "Школы"])
    path = tmp_path / "plan.xlsx"
    workbook.save(path)
    check = check_plan_file(path)
    assert check.ok, check.errors
    assert not check.warnings
    first = check.campaign.items[0]
    assert (first.title.kk, first.title.ru) == ("Дөңгелек үстел", "Круглый стол")
    assert check.campaign.items[2].due == DueRule.on(date(2025, 6, 3))


def test_table_without_the_needed_columns(tmp_path):
    path = _write_csv(tmp_path / "plan.csv", [["a", "b"], ["1", "2"]])
    check = check_plan_file(path)
    assert {e.problem for e in check.errors} == {Problem.NO_COLUMN}


def test_yaml_errors_name_the_item(tmp_path):
    raw = yaml.safe_load(bundled_plan_path().read_text(encoding="utf-8"))
    raw["items"][2]["due"] = {"from": "2025-06-12", "to": "2025-06-01"}
    raw["items"][4]["stage"] = "V"
    del raw["items"][5]["title"]
    raw["end"] = "2025-05-01"
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    check = check_plan_file(path)
    found = {(e.row, e.field, e.problem) for e in check.errors}
    assert (3, "due", Problem.BAD_DUE) in found
    assert (5, "stage", Problem.BAD_STAGE) in found
    assert (6, "title", Problem.MISSING) in found
    assert (None, "end", Problem.DATES_ORDER) in found


@pytest.mark.parametrize(("name", "content"), [("plan.txt", b"x"), ("plan.xlsx", b"not a zip")])
def test_unreadable_files(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(PlanFileError):
        check_plan_file(path)


def test_broken_yaml_is_a_file_error(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text("items: [\n", encoding="utf-8")
    with pytest.raises(PlanFileError):
        check_plan_file(path)
