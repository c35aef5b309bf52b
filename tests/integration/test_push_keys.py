"""The server's Web Push (VAPID) key is made once, at first start, even when processes start together."""

import multiprocessing
import stat

from queue_app.live import push


def public_key(folder):
    """What one starting process reads as the key."""
    return push.vapid_keys(folder)[1]


def test_processes_starting_together_share_one_key_kept_private(tmp_path):
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        keys = pool.map(public_key, [str(tmp_path)] * 8)
    assert len(set(keys)) == 1 and len(keys[0]) == 87  # one P-256 point, base64url
    files = list(tmp_path.iterdir())
    assert [f.name for f in files] == ["vapid_private.pem"]  # no drafts left behind
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert push.vapid_keys(str(tmp_path))[1] == keys[0]  # the next start reads the same key
