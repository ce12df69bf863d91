from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from bot.config import Settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    for name in (
        "BOT_TOKEN",
        "ADMIN_IDS",
        "DATABASE_PATH",
        "TELEGRAM_API_BASE",
        "TIMEZONE",
        "DEFAULT_LOCALE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no .env file here


def test_defaults():
    settings = Settings()
    assert settings.bot_token is None
    assert settings.telegram_api_base == "https://api.telegram.org"
    assert settings.timezone == "Asia/Almaty"
    assert settings.default_locale == "ru"
    assert settings.admin_ids == frozenset()
    assert settings.database_path.parts[0] == "data"


def test_almaty_is_utc_plus_5_in_winter_and_summer():
    zone = ZoneInfo(Settings().timezone)
    for moment in (datetime(2025, 1, 15, 12), datetime(2025, 6, 1, 9)):
        assert moment.replace(tzinfo=zone).utcoffset().total_seconds() == 5 * 3600


def test_environment_values(monkeypatch):
    monkeypatch.setenv("BOT_TOKEN", "123:abc")
    monkeypatch.setenv("ADMIN_IDS", "1, 2;3")
    monkeypatch.setenv("TELEGRAM_API_BASE", "http://127.0.0.1:8081/")
    monkeypatch.setenv("DEFAULT_LOCALE", "kk")
    settings = Settings()
    assert settings.bot_token.get_secret_value() == "123:abc"
    assert "123:abc" not in repr(settings)
    assert settings.admin_ids == frozenset({1, 2, 3})
    assert settings.telegram_api_base == "http://127.0.0.1:8081"
    assert settings.default_locale == "kk"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TIMEZONE", "Europe/Moscow"),
        ("TIMEZONE", "Asia/Nowhere"),
        ("DEFAULT_LOCALE", "en"),
        ("TELEGRAM_API_BASE", "ftp://x"),
        ("ADMIN_IDS", "one,two"),
    ],
)
def test_bad_values_are_refused(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError):
        Settings()


def _run(*args, env=None):
    """``python -m bot …`` run in this process (tests/cli.py), its output caught."""
    import os

    from tests.cli import run_cli

    base = {k: v for k, v in os.environ.items() if k not in ("BOT_TOKEN", "TIMEZONE")}
    return run_cli({**base, **(env or {})}, *args)


def test_without_a_token_it_says_how_to_get_one(tmp_path):
    result = _run(env={"DATABASE_PATH": str(tmp_path / "db.sqlite3")})
    assert result.returncode != 0
    assert "@BotFather" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2


def test_a_bad_setting_is_one_line_not_a_traceback(tmp_path):
    result = _run(env={"TIMEZONE": "Europe/Moscow", "DATABASE_PATH": str(tmp_path / "db.sqlite3")})
    assert result.returncode == 2
    assert "TIMEZONE" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"BOT_TOKEN": "not-a-token"}, "BOT_TOKEN"),
        ({"BOT_TOKEN": "1:abc", "DATABASE_PATH": "/proc/no/such/q.sqlite3"}, "DATABASE_PATH"),
        ({"BOT_TOKEN": "1:abc", "PLAN_FILE": "/no/such/plan.yaml"}, "PLAN_FILE"),
        (
            {"BOT_TOKEN": "1:abc", "TELEGRAM_API_BASE": "http://127.0.0.1:9"},
            "Cannot reach the Bot API",
        ),
        ({"BOT_TOKEN": "1:abc", "WEBHOOK_URL": "ftp://example.com/x"}, "WEBHOOK_URL"),
        ({"BOT_TOKEN": "1:abc", "WEBHOOK_URL": "https://example.com/x"}, "WEBHOOK_SECRET"),
        (
            {"BOT_TOKEN": "1:abc", "WEBHOOK_URL": "https://e.com/x", "WEBHOOK_SECRET": "a b"},
            "WEBHOOK_SECRET",
        ),
        ({"BOT_TOKEN": "1:abc", "TRIAGE_FILE": "/no/such/rules.yaml"}, "TRIAGE_FILE"),
    ],
)
def test_start_up_problems_are_one_clear_line(tmp_path, env, says):
    result = _run(env={"DATABASE_PATH": str(tmp_path / "db.sqlite3"), "LOG_LEVEL": "ERROR", **env})
    assert result.returncode == 2
    assert says in result.stderr and "Traceback" not in result.stderr


def test_every_setting_is_in_env_example():
    example = (Path(__file__).resolve().parents[2] / ".env.example").read_text(encoding="utf-8")
    listed = {
        line.split("=", 1)[0]
        for line in example.splitlines()
        if "=" in line and not line.startswith("#")
    }
    assert {name.upper() for name in Settings.model_fields} == listed
