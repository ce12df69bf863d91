"""`python -m bot audit`: the log of a case or a person, in DEFAULT_LOCALE, in words not codes."""

import asyncio
import re
from datetime import UTC, datetime, timedelta

import pytest

from bot.__main__ import main
from storage.audit import AuditRepository
from storage.db import open_database, to_iso

NOW = datetime(2025, 6, 3, 4, 0, tzinfo=UTC)  # 09:00 in Almaty
RAIDER, INSPECTOR, COORDINATOR, STRANGER, ADMIN = 20, 10, 30, 40, 50

# Every code the services write, which must never reach the page as it is.
RAW_CODES = re.compile(
    r"\b(closed_confirmed|routed|allowed|docx|not_found|forbidden|change_role|inspectors:"
    r"|create|accept|schedule|confirm|coordinator|raider→inspector|user \d)\b"
)


async def _seed(path) -> None:
    db = await open_database(path)
    try:
        for user_id, name in (
            (RAIDER, "Асель Рейдова"),
            (INSPECTOR, "Ерлан Инспектор"),
            (COORDINATOR, "Гүлнар"),
            (ADMIN, "Админ"),
        ):
            await db.execute(
                "INSERT INTO users (id, full_name, locale, created_at, last_seen_at)"
                " VALUES (?, ?, 'ru', ?, ?)",
                (user_id, name, to_iso(NOW), to_iso(NOW)),
            )
        await db.execute(
            "INSERT INTO cases (area_id, area_path, author_id, raid_code, raid_name, place_type,"
            " children, work, immediate_danger, classification, urgent, alert_police, status,"
            " created_at, updated_at)"
            " VALUES (1, 'kz/karaganda', ?, 'r1', '{}', 'car_wash', '[\"under_14\"]', 'моет',"
            " 0, 'violation', 0, 0, 'closed_confirmed', ?, ?)",
            (RAIDER, to_iso(NOW), to_iso(NOW)),
        )
        log = AuditRepository(db)
        steps = [
            dict(actor_id=RAIDER, subject="case", subject_id=1, action="create"),
            dict(
                actor_id=None,
                subject="case",
                subject_id=1,
                action="routed",
                detail="inspectors: 10,11; police: 12",
            ),
            dict(
                actor_id=INSPECTOR, subject="case", subject_id=1, action="view", detail="inspector"
            ),
            dict(
                actor_id=COORDINATOR,
                subject="case",
                subject_id=1,
                action="docx",
                allowed=False,
                detail="forbidden",
            ),
            dict(actor_id=STRANGER, subject="case", subject_id=1, action="accept", allowed=False),
            # pressed again within the minute: counted into the same entry
            dict(actor_id=STRANGER, subject="case", subject_id=1, action="accept", allowed=False),
            dict(actor_id=INSPECTOR, subject="case", subject_id=1, action="accept"),
            dict(
                actor_id=INSPECTOR,
                subject="case",
                subject_id=1,
                action="schedule",
                detail="2025-06-05",
            ),
            dict(actor_id=INSPECTOR, subject="case", subject_id=1, action="confirm"),
            dict(
                actor_id=RAIDER,
                subject="contact",
                subject_id=7,
                action="create",
                detail="high violence",
            ),
            dict(
                actor_id=ADMIN,
                subject="user",
                subject_id=RAIDER,
                action="change_role",
                detail="raider→inspector at kz/karaganda",
            ),
            dict(actor_id=ADMIN, subject="user", subject_id=INSPECTOR, action="deactivate"),
        ]
        for number, step in enumerate(steps):
            await log.write(now=NOW + timedelta(minutes=number), **step)
    finally:
        await db.close()


@pytest.fixture
def database(tmp_path, monkeypatch):
    path = tmp_path / "q.sqlite3"
    asyncio.run(_seed(path))
    monkeypatch.chdir(tmp_path)  # no .env of the checkout
    monkeypatch.setenv("DATABASE_PATH", str(path))
    return path


def _run(monkeypatch, capsys, locale: str, *argv: str) -> tuple[int, list[str], str]:
    monkeypatch.setenv("DEFAULT_LOCALE", locale)
    code = main(["audit", *argv])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


def test_case_log_in_russian_words(database, monkeypatch, capsys):
    code, lines, _ = _run(monkeypatch, capsys, "ru", "--case", "1")
    assert code == 0
    assert lines[0].startswith("Журнал дела № 1 (Закрыто: подтверждено, kz/karaganda)")
    assert len(lines) == 1 + 8
    body = "\n".join(lines)
    assert RAW_CODES.search(body) is None, RAW_CODES.search(body)
    assert "2025-06-03 09:00:00  пользователь 20 (Асель Рейдова)" in lines[1]
    assert "создать — разрешено" in lines[1]
    assert "бот" in lines[2] and "инспекторы: 10, 11; контакт полиции: 12" in lines[2]
    assert "открыть — разрешено (как инспектор)" in lines[3]
    # The coordinator's refused DOCX reads as refused, in words.
    assert (
        "пользователь 30 (Гүлнар)" in lines[4]
        and "запросить файл DOCX — ОТКАЗАНО (нет права смотреть или менять)" in lines[4]
    )
    assert "пользователь 40" in lines[5] and lines[5].endswith("принять — ОТКАЗАНО ×2")
    assert "назначить проверку — разрешено (5 июня 2025\u202fг.)" in lines[7]
    assert "закрыть: подтверждено — разрешено" in lines[8]


def test_case_log_in_kazakh_words(database, monkeypatch, capsys):
    code, lines, _ = _run(monkeypatch, capsys, "kk", "--case", "1")
    assert code == 0
    assert lines[0].startswith("№ 1 іс журналы (Жабылды: расталды, kz/karaganda)")
    body = "\n".join(lines)
    assert RAW_CODES.search(body) is None, RAW_CODES.search(body)
    assert "ҚАБЫЛДАНБАДЫ" in lines[4]
    assert "пайдаланушы 20" in lines[1]


def test_person_log_lists_their_actions_and_changes_made_to_them(database, monkeypatch, capsys):
    code, lines, _ = _run(monkeypatch, capsys, "ru", "--person", str(RAIDER))
    assert code == 0
    assert lines[0].startswith("Журнал пользователя 20 (Асель Рейдова)")
    assert len(lines) == 1 + 3
    assert "дело № 1: создать — разрешено" in lines[1]
    assert "обращение № 7 на линию доверия: создать" in lines[2]
    assert "⚠️ Высокая" in lines[2] and "Насилие" in lines[2]
    assert (
        "пользователь 50 (Админ)" in lines[3]
        and "пользователь 20: изменить роль — разрешено" in lines[3]
    )
    assert "Участник рейда → Инспектор труда, kz/karaganda" in lines[3]
    body = "\n".join(lines)
    assert RAW_CODES.search(body) is None, RAW_CODES.search(body)


def test_person_log_of_someone_changed_and_acting(database, monkeypatch, capsys):
    code, lines, _ = _run(monkeypatch, capsys, "ru", "--person", str(INSPECTOR))
    assert code == 0
    assert len(lines) == 1 + 5  # opened, accepted, scheduled, confirmed; deactivated by the admin
    assert "пользователь 10: деактивировать — разрешено" in lines[-1]


def test_nothing_known(database, monkeypatch, capsys):
    code, lines, err = _run(monkeypatch, capsys, "ru", "--case", "99")
    assert code == 1 and lines == []
    assert "Нет дела № 99" in err
    code, lines, err = _run(monkeypatch, capsys, "kk", "--person", "999")
    assert code == 1 and lines == []
    assert "999" in err and "999" not in "".join(lines)


def test_case_and_person_are_one_or_the_other(database, monkeypatch, capsys):
    with pytest.raises(SystemExit):
        main(["audit", "--case", "1", "--person", "20"])
    with pytest.raises(SystemExit):
        main(["audit"])


@pytest.mark.parametrize(
    ("subject", "action", "allowed", "detail", "words"),
    [
        ("contact", "raised", True, "immediate", "повысить срочность: опасность в следующем"),
        ("contact", "raised", True, "immediate", "🚨"),
        ("contact", "urgency", True, "high", "задать срочность — разрешено (⚠️ Высокая)"),
        ("contact", "heard", True, "2", "не прослушано: 2"),
        ("case", "released", True, "10", "у пользователя 10"),
        ("case", "view", False, "no_role", "открыть — ОТКАЗАНО (нет роли на этом месте)"),
        ("user", "change_role", False, "peer", "координатор того же уровня"),
        ("contact", "take", True, "handler", "как оператор, у которого обращение"),
        ("contact", "something_new", True, "x1", "something_new — разрешено (x1)"),  # as stored
    ],
)
def test_every_code_the_services_write_has_words(subject, action, allowed, detail, words):
    from zoneinfo import ZoneInfo

    from bot.audit_texts import entry_line
    from bot.i18n import build_i18n
    from storage.audit import AuditEntry

    entry = AuditEntry(1, NOW, None, "", subject, 3, action, allowed, detail)
    i18n = build_i18n("ru")
    with i18n.context(), i18n.use_locale("ru"):
        line = entry_line(entry, ZoneInfo("Asia/Almaty"), "ru")
    assert words in line, line
