"""The replica's config and its status for the dashboard (queue_app/replica.py), on plain files."""

import json

from queue_app import replica


def test_a_folder_replica_config_names_both_parts_with_the_sync_interval(tmp_path, monkeypatch):
    """Proves: the database and the secrets each go to their own part of a folder replica, every 1 s."""
    monkeypatch.delenv("REPLICA_SYNC_INTERVAL", raising=False)
    config = replica.write_config(tmp_path, tmp_path / "queue.db", str(tmp_path / "stick")).read_text()
    assert f'path: "{tmp_path / "stick" / "queue"}"' in config
    assert f'path: "{tmp_path / "stick" / "secrets"}"' in config
    assert config.count("sync-interval: 1s") == 2


def test_an_s3_replica_config_carries_the_endpoint(tmp_path, monkeypatch):
    """Proves: an s3:// replica becomes two URLs under it, with the S3-compatible endpoint given."""
    monkeypatch.setenv("REPLICA_ENDPOINT", "https://s3.example.org")
    config = replica.write_config(tmp_path, tmp_path / "queue.db", "s3://bucket/race/").read_text()
    assert 'url: "s3://bucket/race/queue"' in config and 'url: "s3://bucket/race/secrets"' in config
    assert config.count('endpoint: "https://s3.example.org"') == 2


def test_replication_is_stopped_after_a_failed_check_or_a_long_silence(tmp_path):
    """Proves: no status file (no replica set up) is not a warning; a failed check is; so is an old good one."""
    assert not replica.replication_stopped(tmp_path)
    replica.write_status(tmp_path, True)
    checked = json.loads((tmp_path / replica.STATUS_FILE).read_text())["checked"]
    assert not replica.replication_stopped(tmp_path, now=checked + 5)
    assert replica.replication_stopped(tmp_path, now=checked + 60)
    replica.write_status(tmp_path, False, "the replica is gone")
    assert replica.replication_stopped(tmp_path)
