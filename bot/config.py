"""Settings read from the environment (and an optional ``.env`` file)."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Annotated
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

SUPPORTED_LOCALES = ("kk", "ru")
KAZAKHSTAN_UTC_OFFSET_HOURS = 5
OFFICIAL_API_BASE = "https://api.telegram.org"
WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
REPLICA_SCHEMES = ("file", "s3", "sftp")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True
    )

    bot_token: SecretStr | None = None
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    database_path: Path = Path("data/qorgau.sqlite3")
    telegram_api_base: str = OFFICIAL_API_BASE
    timezone: str = "Asia/Almaty"
    default_locale: str = "ru"
    bot_username: str | None = Field(
        default=None, description="Used in deep links when getMe has not been asked yet."
    )
    plan_file: Path | None = None
    delivery_per_second: float = Field(default=30.0, gt=0)
    delivery_per_chat_second: float = Field(default=1.0, gt=0)
    delivery_per_group_minute: float = Field(default=20.0, gt=0)
    delivery_per_chat_burst: int = Field(
        default=3, ge=1, description="Messages a conversation's reply may send to a chat at once."
    )
    delivery_reply_reserve: int = Field(
        default=1, ge=0, description="Slots of every second that notifications and bulk leave free."
    )
    paid_broadcast: bool = Field(
        default=False, description="Send bulk with allow_paid_broadcast (0.1 Star a message)."
    )
    paid_broadcast_per_second: float = Field(default=1000.0, gt=0, le=1000)
    log_level: str = "INFO"
    emergency_number: str = "112"
    police_number: str = "102"
    contact_centre_number: str = "111"
    triage_file: Path | None = None
    hotline_flood_per_minute: int = Field(default=12, ge=3)
    flood_per_minute: int = Field(
        default=40, ge=10, description="Presses and commands a member of the public sends a minute."
    )
    flood_staff_per_minute: int = Field(
        default=120, ge=10, description="The same for people with a role."
    )
    retention_days: int = Field(default=180, ge=1)
    draft_retention_days: int = Field(default=30, ge=1)
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_host: str = "127.0.0.1"
    webhook_port: int = Field(default=8080, ge=1, le=65535)
    backup_dir: Path | None = None
    backup_keep: int = Field(default=7, ge=1)
    document_limit_mb: float = Field(
        default=50.0,
        gt=0,
        description="Largest file the bot sends: 50 MB on Telegram's Bot API, 2000 on a local one.",
    )
    replica_url: str | None = None
    replica_sync_interval: float = Field(
        default=0.5,
        gt=0,
        le=3600,
        description="Seconds between uploads at most; 1 s lost up to 1.5 s of writes in bench/durability.py.",
    )
    replica_endpoint: str | None = None
    replica_region: str | None = None
    replica_access_key_id: str | None = None
    replica_secret_access_key: SecretStr | None = None
    replica_sftp_key_path: Path | None = None
    replica_lag_alert: float = Field(default=60.0, gt=0)
    litestream_bin: Path | None = None
    health_server: bool = True

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_admin_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = value.replace(";", ",").replace(" ", ",").split(",")
            return frozenset(int(part) for part in parts if part.strip())
        if isinstance(value, int):
            return frozenset({value})
        return value

    @field_validator("default_locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        if value not in SUPPORTED_LOCALES:
            raise ValueError(f"must be one of {', '.join(SUPPORTED_LOCALES)}")
        return value

    @field_validator("timezone")
    @classmethod
    def _kazakhstan_time(cls, value: str) -> str:
        try:
            zone = ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}") from error
        offset = datetime(2025, 6, 1, tzinfo=zone).utcoffset()
        if offset is None or offset.total_seconds() != KAZAKHSTAN_UTC_OFFSET_HOURS * 3600:
            raise ValueError(f"{value} is not UTC+5, Kazakhstan's time since 1 March 2024")
        return value

    @field_validator("telegram_api_base")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parsed = urlparse(value.strip())
        local = parsed.hostname in ("127.0.0.1", "localhost")
        if parsed.scheme != "https" and not (parsed.scheme == "http" and local):
            raise ValueError("must be an https:// URL (Telegram sends webhooks over HTTPS only)")
        if not parsed.hostname:
            raise ValueError("has no host name")
        return value.strip()

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not WEBHOOK_SECRET.fullmatch(value.get_secret_value()):
            raise ValueError("use 1-256 characters: A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("replica_url")
    @classmethod
    def _replica_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if "://" not in value:
            return value  # a local folder
        parsed = urlparse(value)
        if parsed.scheme not in REPLICA_SCHEMES:
            raise ValueError(
                "use a folder, file:///folder, s3://bucket/path or sftp://user@host/path"
            )
        if parsed.scheme in ("s3", "sftp") and not parsed.hostname:
            raise ValueError(f"a {parsed.scheme}:// URL needs a bucket or host")
        if parsed.scheme == "file" and not parsed.path:
            raise ValueError("a file:// URL needs a folder")
        return value

    @field_validator("replica_endpoint")
    @classmethod
    def _replica_endpoint(cls, value: str | None) -> str | None:
        if value is not None and not value.strip().startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.strip() if value else None

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        if self.webhook_url and self.webhook_secret is None:
            raise ValueError("WEBHOOK_SECRET is required with WEBHOOK_URL")
        return self

    @property
    def backups_folder(self) -> Path:
        """BACKUP_DIR, or ``backups`` beside the database."""
        return self.backup_dir or self.database_path.parent / "backups"

    @property
    def webhook_path(self) -> str:
        return urlparse(self.webhook_url or "").path or "/"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)
