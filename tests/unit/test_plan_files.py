from datetime import date

import pytest
import yaml
from docx import Document
from openpyxl import Workbook

from bot.domain.plan import DueRule
from bot.domain.plan_validation import Problem
from bot.i18n import build_i18n
from bot.plan_files import PlanFileError, bundled_plan_path, check_plan_file
from bot.plan_report import table_lines

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


# Tables as departments make them by hand. Each fixture file is written here with openpyxl or
# python-docx, the way a spreadsheet or Word user would leave it.

ROWS_RU = [
    ["1", "Информационные письма", "до 30 мая", "Отдел образования"],
    ["2", "Рейды «Подросток»", "1-12 июня", "Школы, полиция"],
]


def _xlsx(path, rows, merges=()):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "План"
    for row in rows:
        sheet.append(row or [None])  # an empty list would not start a row
    for cells in merges:
        sheet.merge_cells(cells)
    workbook.save(path)
    return path


def _docx(path, tables, before=("План мероприятий",), after=()):
    """A Word document: paragraphs, then tables (lists of rows; None merges with the left cell)."""
    document = Document()
    for text in before:
        document.add_paragraph(text)
    for rows in tables:
        width = max(len(row) for row in rows)
        table = document.add_table(rows=len(rows), cols=width)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    table.cell(r, c).text = value
            for c in range(width - 1, 0, -1):
                if c < len(row) and row[c] is None:
                    table.cell(r, c - 1).merge(table.cell(r, c))
        document.add_paragraph("")
    for text in after:
        document.add_paragraph(text)
    document.save(path)
    return path


def _fields(check):
    return {(c.field, c.language): c.position for c in check.columns}


@pytest.mark.parametrize("number", ["№", "№ п/п", "п/п", "№ р/с", "р/с", "Р/с №", "No.", "№п/п."])
def test_number_column_as_written_by_hand(tmp_path, number):
    header = [number, "Наименование мероприятия", "Сроки исполнения", "Ответственные"]
    check = check_plan_file(_write_csv(tmp_path / "plan.csv", [header, *ROWS_RU]), year=2026)
    assert check.ok, check.errors
    assert [item.number for item in check.campaign.items] == [1, 2]
    assert _fields(check)[("number", None)] == 0


@pytest.mark.parametrize(
    ("header", "languages"),
    [
        (
            ["№", "Наименование мероприятий", "Сроки проведения", "Ответственные за исполнение"],
            ("ru", "ru", "ru"),
        ),
        (["№ р/с", "Іс-шаралар атауы", "Орындау мерзімі", "Жауаптылар"], ("kk", "kk", "kk")),
        (["№", "Мероприятие", "Дата проведения", "Исполнители"], ("ru", "ru", "ru")),
        (["N", "title", "deadline", "responsible"], (None, None, None)),
    ],
)
def test_header_words_added_or_changed(tmp_path, header, languages):
    check = check_plan_file(_write_csv(tmp_path / "plan.csv", [header, *ROWS_RU]), year=2026)
    assert check.ok, check.errors
    assert _fields(check) == {
        ("number", None): 0,
        ("title", languages[0]): 1,
        ("due", languages[1]): 2,
        ("executors", languages[2]): 3,
    }
    assert check.campaign.items[1].title.ru == "Рейды «Подросток»"


def test_line_breaks_and_spaces_inside_header_cells(tmp_path):
    header = ["№\nп/п", "Наименование\n  мероприятия ", "  Сроки\r\nисполнения", "Ответственные\n"]
    rows = [header, [1, "Круглый\nстол", "5 июня", "Школы"]]
    check = check_plan_file(_xlsx(tmp_path / "plan.xlsx", rows), year=2026)
    assert check.ok, check.errors
    assert len(check.columns) == 4
    assert check.columns[1].header == "Наименование мероприятия"
    assert check.campaign.items[0].title.ru == "Круглый стол"  # line breaks in a cell are spaces


def test_header_over_two_rows_with_merged_cells_in_xlsx(tmp_path):
    rows = [
        ["№ р/с", "Іс-шара атауы / Наименование мероприятия", None, "Мерзімі / Срок", None],
        [None, "қаз.", "рус.", "қаз.", "рус."],
        [1, "Дөңгелек үстел", "Круглый стол", "5 маусым", "5 июня"],
        [2, "Жедел желі", "Горячая линия", "тұрақты", "постоянно"],
    ]
    path = _xlsx(tmp_path / "plan.xlsx", rows, merges=("A1:A2", "B1:C1", "D1:E1"))
    check = check_plan_file(path, year=2026)
    assert check.ok, check.errors
    assert _fields(check) == {
        ("number", None): 0,
        ("title", "kk"): 1,
        ("title", "ru"): 2,
        ("due", "kk"): 3,
        ("due", "ru"): 4,
    }
    first = check.campaign.items[0]
    assert (first.title.kk, first.title.ru) == ("Дөңгелек үстел", "Круглый стол")
    assert (first.due_text.kk, first.due_text.ru) == ("5 маусым", "5 июня")
    assert check.table.header_row == 1 and not check.warnings


def test_header_words_broken_over_two_rows(tmp_path):
    rows = [
        ["№", "Наименование", "Сроки", "Ответственные"],
        ["п/п", "мероприятия", "исполнения", "исполнители"],
        ["1", "Семинар", "3 июня", "Отдел образования"],
    ]
    check = check_plan_file(_write_csv(tmp_path / "plan.csv", rows), year=2026)
    assert check.ok, check.errors
    assert check.columns[1].header == "Наименование мероприятия"
    assert [item.number for item in check.campaign.items] == [1]


def test_title_rows_blank_rows_and_a_signature_block_around_the_table(tmp_path):
    rows = [
        ["УТВЕРЖДАЮ"],
        [None, None, None, "Руководитель отдела образования"],
        [],
        ["План мероприятий по проведению кампании «12 дней»"],
        [],
        ["№ п/п", "Наименование мероприятия", "Сроки исполнения", "Ответственные исполнители"],
        ["1", "2", "3", "4"],
        [None, "I. Организационный этап"],
        ["1.", "Информационные письма", "до 30 мая", "Отдел образования"],
        [],
        ["III. Основной этап", "III. Основной этап", "III. Основной этап", "III. Основной этап"],
        ["2.", "Рейды", "1-12 июня", "Школы"],
        [None, "3. Семинар для социальных педагогов", "3 июня", "Отдел образования"],
        [],
        [None, "Руководитель отдела образования", None, "А. Иванов"],
        ["Исп.: Б. Петрова, тел. 8 7212 00-00-00"],
    ]
    path = _xlsx(tmp_path / "plan.xlsx", rows, merges=("A11:D11",))
    check = check_plan_file(path, year=2026)
    assert check.ok, check.errors
    items = check.campaign.items
    assert [(i.number, i.stage) for i in items] == [(1, "I"), (2, "III"), (3, "III")]
    assert items[2].title.ru == "Семинар для социальных педагогов"
    assert check.table.header_row == 6


def test_a_row_that_is_an_item_without_its_number_is_still_reported(tmp_path):
    rows = [HEADER_RU, ["", "Семинар", "3 июня", "Отдел"], ["2", "Рейды", "1-12 июня", "Школы"]]
    check = check_plan_file(_write_csv(tmp_path / "plan.csv", rows), year=2026)
    assert [(e.row, e.field, e.problem) for e in check.errors] == [(2, "number", Problem.MISSING)]


def test_kazakh_and_russian_columns_side_by_side(tmp_path):
    rows = [
        [
            "№ р/с",
            "Іс-шара атауы",
            "Наименование мероприятия",
            "Орындау мерзімі",
            "Сроки исполнения",
            "Жауаптылар",
            "Ответственные",
        ],
        ["1", "Көрме", "Выставка", "3 маусым", "3 июня", "Мектептер", "Школы"],
    ]
    check = check_plan_file(_write_csv(tmp_path / "plan.csv", rows), year=2026)
    assert check.ok, check.errors
    assert not check.warnings
    item = check.campaign.items[0]
    assert (item.title.kk, item.title.ru) == ("Көрме", "Выставка")
    assert (item.executors.kk, item.executors.ru) == ("Мектептер", "Школы")
    assert item.due == DueRule.on(date(2026, 6, 3))


def test_a_table_still_without_a_deadline_column_names_what_it_took(tmp_path):
    rows = [["№", "Наименование мероприятия", "Исполнители"], ["1", "Семинар", "Отдел"]]
    check = check_plan_file(_write_csv(tmp_path / "plan.csv", rows))
    assert [(e.problem, e.field, e.row) for e in check.errors] == [(Problem.NO_COLUMN, "due", 1)]
    assert [c.field for c in check.columns] == ["number", "title", "executors"]


def _shakhtinsk_tables():
    """The bundled Shakhtinsk plan written out as a Word table in both languages, cut over pages
    as the department's document is: the header repeated, a column-number row, stage rows merged
    across, item 1's number typed into its title, and a last page with no header at all."""
    raw = yaml.safe_load(bundled_plan_path().read_text(encoding="utf-8"))
    stages = {stage["code"]: stage for stage in raw["stages"]}
    header = [
        "№ р/с",
        "Іс-шара атауы",
        "Наименование мероприятия",
        "Орындау\nмерзімі",
        "Сроки исполнения",
        "Жауаптылар",
        "Ответственные за исполнение",
    ]
    pages: list[list[list]] = [[header, ["1", "2", "3", "4", "5", "6", "7"]], [header], []]
    stage = None
    for item in raw["items"]:
        page = pages[0] if item["number"] <= 7 else pages[1] if item["number"] <= 14 else pages[2]
        if item["stage"] != stage:
            stage = item["stage"]
            name = stages[stage]
            page.append([f"{stage}. {name['kk']} / {name['ru']}"] + [None] * 6)
        number = f"{item['number']}."
        title = (item["title"]["kk"], item["title"]["ru"])
        if item["number"] == 1:
            number, title = "", (f"1. {title[0]}", f"1. {title[1]}")
        page.append(
            [
                number,
                *title,
                item["due_text"]["kk"],
                item["due_text"]["ru"],
                item["executors"]["kk"],
                item["executors"]["ru"],
            ]
        )
    return pages


def test_the_shakhtinsk_plan_as_a_word_document_loads(tmp_path):
    approval = [["КЕЛІСІЛДІ", "БЕКІТЕМІН"], ["Білім бөлімінің басшысы", "УТВЕРЖДАЮ"]]
    path = _docx(
        tmp_path / "plan.docx",
        [approval, *_shakhtinsk_tables()],
        after=("Руководитель ГУ «Отдел образования города Шахтинска»", "Исп.: тел. 8 72156"),
    )
    check = check_plan_file(path, year=2025)
    assert check.ok, check.errors
    assert not check.warnings
    bundled = check_plan_file(bundled_plan_path()).campaign
    items = check.campaign.items
    assert [i.number for i in items] == list(range(1, 20))
    for got, want in zip(items, bundled.items, strict=True):
        assert (got.title, got.stage, got.executors) == (want.title, want.stage, want.executors)
        assert got.due_text == want.due_text
    assert items[0].due == DueRule.by(date(2025, 5, 30))
    assert items[8].due == DueRule.between(date(2025, 6, 1), date(2025, 6, 12))
    assert (check.table.kind, check.table.first, check.table.last) == ("docx", 2, 4)
    assert check.table.count == 4


def test_word_document_largest_plan_table_is_taken(tmp_path):
    small = [HEADER_RU, ["1", "Письма", "до 30 мая", "Отдел"]]
    large = [
        ["№", "Наименование мероприятия", "Сроки исполнения"],
        ["1", "Семинар", "3 июня"],
        ["2", "Рейды", "1-12 июня"],
        ["3", "Выставка", "5 июня"],
    ]
    contacts = [["ФИО", "Телефон"], *[[f"Сотрудник {n}", "8 7212"] for n in range(10)]]
    path = _docx(tmp_path / "plan.docx", [small, contacts, large])
    check = check_plan_file(path, year=2026)
    assert check.ok, check.errors
    assert [i.title.ru for i in check.campaign.items] == ["Семинар", "Рейды", "Выставка"]
    assert (check.table.first, check.table.last, check.table.count) == (3, 3, 3)


def test_word_document_header_over_two_rows_with_merged_cells(tmp_path):
    rows = [
        ["№", "Іс-шара атауы / Наименование мероприятия", None, "Мерзімі / Сроки"],
        ["", "қазақ тілінде", "на русском языке", ""],
        ["1", "Көрме", "Выставка", "3 июня"],
    ]
    document = Document()
    table = document.add_table(rows=3, cols=4)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value:
                table.cell(r, c).text = value
    table.cell(0, 1).merge(table.cell(0, 2))
    table.cell(0, 0).merge(table.cell(1, 0))
    table.cell(0, 3).merge(table.cell(1, 3))
    path = tmp_path / "plan.docx"
    document.save(path)
    check = check_plan_file(path, year=2026)
    assert check.ok, check.errors
    assert _fields(check) == {
        ("number", None): 0,
        ("title", "kk"): 1,
        ("title", "ru"): 2,
        ("due", None): 3,
    }
    assert check.campaign.items[0].title.kk == "Көрме"
    assert check.campaign.items[0].due == DueRule.on(date(2026, 6, 3))


def test_word_document_problems_are_reported_by_row(tmp_path):
    rows = [
        HEADER_RU,
        ["1", "Семинар", "3 июня", "Отдел"],
        ["2", "Выставка", "когда-нибудь", "Школы"],
        ["1", "Повтор", "5 июня", "Школы"],
    ]
    check = check_plan_file(_docx(tmp_path / "plan.docx", [rows]), year=2026)
    assert {(e.row, e.problem) for e in check.errors} == {
        (3, Problem.BAD_DUE),
        (4, Problem.DUPLICATE_NUMBER),
    }


def test_word_document_without_a_plan_table(tmp_path):
    path = _docx(tmp_path / "plan.docx", [[["ФИО", "Телефон"], ["Иванов", "8 7212"]]])
    check = check_plan_file(path)
    assert {e.problem for e in check.errors} == {Problem.NO_COLUMN}
    (tmp_path / "broken.docx").write_bytes(b"PK not really")
    with pytest.raises(PlanFileError):
        check_plan_file(tmp_path / "broken.docx")


def test_plan_check_says_which_column_it_took_for_which_field(tmp_path):
    rows = [
        ["План"],
        ["№ р/с", "Іс-шара атауы", "Наименование мероприятия", "Сроки проведения"],
        [1, "Көрме", "Выставка", "3 июня"],
    ]
    check = check_plan_file(_xlsx(tmp_path / "plan.xlsx", rows), year=2026)
    i18n = build_i18n("ru")
    with i18n.context(), i18n.use_locale("ru"):
        lines = table_lines(check)
    assert lines == [
        "Лист «План», заголовок в строке 2:",
        "столбец A «№ р/с» → номер",
        "столбец B «Іс-шара атауы» → наименование (на казахском)",
        "столбец C «Наименование мероприятия» → наименование (на русском)",
        "столбец D «Сроки проведения» → срок (на русском)",
    ]
