"""A big start list is imported while the server keeps answering (issue 12, break 7), and a file over the cap is
refused with a message, against a real eventlet server."""

import statistics
import threading
import time

import requests

from tests.support.clients import Organiser
from tests.support.server import ServerProcess


def start_list(rows):
    """A start-list CSV of `rows` runners, as bytes."""
    return ("bib,first_name,last_name,distance\n"
            + "".join(f"{bib},Runner{bib % 997},Family{bib % 89},Marathon\n" for bib in range(1, rows + 1))).encode()


def upload(organiser, content):
    """Post `content` as the start-list file; the settings page that comes back."""
    return organiser.form("/e/demo/settings/start-list", {}, page="/e/demo/settings",
                          files={"file": ("start.csv", content, "text/csv")})


def test_the_board_answers_while_a_200000_runner_start_list_is_imported(tmp_path):
    server = ServerProcess(tmp_path)
    server.start()
    try:
        organiser = Organiser(server.url)
        content = start_list(200_000)  # about 7.6 MB
        latencies, done = [], threading.Event()

        def watch_the_board():
            while not done.is_set():
                begun = time.monotonic()
                requests.get(f"{server.url}/api/v1/events/demo/board", timeout=30).raise_for_status()
                latencies.append(time.monotonic() - begun)
                time.sleep(0.02)

        watcher = threading.Thread(target=watch_the_board)
        watcher.start()
        try:
            begun = time.monotonic()
            answer = upload(organiser, content)
            took = time.monotonic() - begun
        finally:
            done.set()
            watcher.join()
        assert "Start list imported: 200000 runners." in answer.text
        assert latencies, "the board was never asked"
        # Before the import went in batches, the board waited for the whole file: several seconds at once.
        assert max(latencies) < 1.0, (f"board p50 {statistics.median(latencies) * 1000:.0f} ms, "
                                      f"max {max(latencies) * 1000:.0f} ms while the import took {took:.1f} s")
    finally:
        server.stop()


def test_a_start_list_over_the_cap_is_refused_and_nothing_changes(tmp_path):
    server = ServerProcess(tmp_path, env={"START_LIST_MAX_MB": "1"})
    server.start()
    try:
        organiser = Organiser(server.url)
        assert "2 runners" in upload(organiser, start_list(2)).text
        for rows in (40_000, 100_000):  # 1.5 MB: over the cap; 3.8 MB: over what any request may carry
            try:
                answer = upload(organiser, start_list(rows))
            except requests.ConnectionError:
                continue  # the server may close the connection on a body it will not read; nothing was stored
            assert answer.status_code in (413, 422), answer.status_code
            assert "start list may be at most 1 MB" in answer.text
        check = organiser.http.get(f"{server.url}/e/demo/settings", timeout=10).text
        assert "2 runners loaded" in check
    finally:
        server.stop()
