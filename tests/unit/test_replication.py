"""The Litestream configuration made from the settings, the pragmas that leave checkpoints to
it, and the lag when the replica cannot be reached."""

from __future__ import annotations

import json
import os

import pytest
import yaml
from pydantic import ValidationError

from bot import replication
from bot.config import Settings
from storage.db import REPLICATED_AUTOCHECKPOINT, open_database


def _settings(tmp_path, **values) -> Settings:
    return Settings(_env_file=None, database_path=tmp_path / "data" / "q.sqlite3", **values)


def test_a_plain_folder_becomes_a_file_url(tmp_path):
    settings = _settings(tmp_path, replica_url=str(tmp_path / "replica"))
    (db,) = replication.config(settings)["dbs"]
    assert db["path"] == str((tmp_path / "data" / "q.sqlite3").resolve())
    assert db["replica"] == {
        "url": (tmp_path / "replica").resolve().as_uri(),
        "sync-interval": "500ms",
    }
    assert db["monitor-interval"] == "100ms"


def test_s3_compatible_storage_keeps_its_keys_out_of_the_file(tmp_path):
    settings = _settings(
        tmp_path,
        replica_url="s3://qorgau-backups/prod",
        replica_endpoint="https://storage.example.kz",
        replica_region="kz-ala",
        replica_access_key_id="AKID",
        replica_secret_access_key="very-secret",
        replica_sync_interval=2,
    )
    path = replication.write_config(settings)
    text = path.read_text()
    assert "very-secret" not in text and "AKID" not in text
    replica = yaml.safe_load(text)["dbs"][0]["replica"]
    assert replica == {
        "url": "s3://qorgau-backups/prod",
        "sync-interval": "2000ms",
        "endpoint": "https://storage.example.kz",
        "force-path-style": True,
        "region": "kz-ala",
    }
    env = replication.environment(settings)
    assert env["LITESTREAM_ACCESS_KEY_ID"] == "AKID"
    assert env["LITESTREAM_SECRET_ACCESS_KEY"] == "very-secret"


def test_sftp_with_a_key(tmp_path):
    settings = _settings(
        tmp_path, replica_url="sftp://backup@10.0.0.5:22/qorgau", replica_sftp_key_path="/k/id"
    )
    replica = replication.config(settings)["dbs"][0]["replica"]
    assert replica["url"] == "sftp://backup@10.0.0.5:22/qorgau" and replica["key-path"] == "/k/id"


@pytest.mark.parametrize(
    "url", ["gs://bucket/x", "https://bucket.example.kz/x", "s3:///no-bucket", "sftp:///path"]
)
def test_replica_urls_that_are_refused(tmp_path, url):
    with pytest.raises(ValidationError):
        _settings(tmp_path, replica_url=url)


def test_an_endpoint_is_a_url(tmp_path):
    with pytest.raises(ValidationError):
        _settings(tmp_path, replica_url="s3://b/p", replica_endpoint="storage.example.kz")


async def test_checkpoints_are_left_to_litestream_when_replicating(tmp_path):
    plain = await open_database(tmp_path / "plain.sqlite3")
    replicated = await open_database(tmp_path / "replicated.sqlite3", replicated=True)
    try:
        assert (await plain.fetchone("PRAGMA wal_autocheckpoint"))[0] == 1000
        row = await replicated.fetchone("PRAGMA wal_autocheckpoint")
        assert row[0] == REPLICATED_AUTOCHECKPOINT
        assert (await replicated.fetchone("PRAGMA busy_timeout"))[0] == 5000
        assert (await replicated.fetchone("PRAGMA journal_mode"))[0] == "wal"
    finally:
        await plain.close()
        await replicated.close()


def test_an_unreachable_replica_is_not_ok(tmp_path):
    settings = _settings(tmp_path, replica_url="sftp://nobody@127.0.0.1:1/none")
    state = replication.measure(settings)
    assert not state.ok and state.error and state.lag_seconds is None


def test_nothing_waiting_is_no_lag(tmp_path):
    settings = _settings(tmp_path, replica_url=str(tmp_path / "replica"))
    state = replication.measure(settings)
    assert state.as_dict() == {"ok": True, "lag_seconds": 0.0, "local_txid": 0, "replica_txid": 0}


def test_changes_not_yet_in_the_replica_are_lag(tmp_path):
    settings = _settings(tmp_path, replica_url=str(tmp_path / "replica"), replica_lag_alert=30)
    level0 = replication.meta_dir(settings.database_path) / "ltx" / "0"
    level0.mkdir(parents=True)
    waiting = level0 / "0000000000000001-0000000000000003.ltx"
    waiting.write_bytes(b"")
    modified = waiting.stat().st_mtime
    os.utime(waiting, (modified - 45, modified - 45))
    state = replication.measure(settings, now=modified)
    assert state.local_txid == 3 and state.replica_txid == 0
    assert 44 <= (state.lag_seconds or 0) <= 46 and not state.ok


def test_aws_ca_bundle_is_kept_from_litestream(tmp_path, monkeypatch):
    monkeypatch.setenv("AWS_CA_BUNDLE", "/etc/ssl/bundle.pem")
    settings = _settings(tmp_path, replica_url="s3://b/p", replica_endpoint="http://127.0.0.1:1")
    assert "AWS_CA_BUNDLE" not in replication.environment(settings)
    state = replication.measure(settings)  # the endpoint is down: said so, not the bundle
    assert not state.ok and "RootCAs" not in (state.error or "")


async def test_status_reports_the_replica(tmp_path, capsys):
    from bot.cli import status

    settings = _settings(tmp_path, replica_url=str(tmp_path / "replica"))
    assert await status(settings) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["replication"] == {
        "ok": True,
        "lag_seconds": 0.0,
        "local_txid": 0,
        "replica_txid": 0,
    }
    unreachable = _settings(tmp_path, replica_url="sftp://nobody@127.0.0.1:1/none")
    assert await status(unreachable) == 1
    report = json.loads(capsys.readouterr().out)
    assert not report["ok"] and report["replication"]["error"]
