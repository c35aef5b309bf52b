"""The runner's and the therapist's pages on a weak mobile link (issue 13): time to first paint and to "Live"
(the socket connected and the page in step), on a first visit and a second one from the browser's cache.

    .venv/bin/python bench/pages.py [--root DIR] [--runs 3]

Chromium (Debian's, headless, through Playwright) throttled by the DevTools protocol to DevTools' own presets
"slow 3G" (2 s added to every request, 400 kbit/s down and up) and "fast 3G" (562.5 ms, 1.44 Mbit/s down,
675 kbit/s up), and "4G" (150 ms, 9 Mbit/s down, 1.5 up). `--root` serves another checkout of the app (e.g.
an older commit in a git worktree) to measure before and after. Prints the median of `--runs` for each page,
profile and visit.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from common import conditions
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
PROFILES = {
    "slow 3G": {"latency": 2000, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8},
    "fast 3G": {"latency": 562.5, "downloadThroughput": 1_440_000 / 8, "uploadThroughput": 675_000 / 8},
    "4G": {"latency": 150, "downloadThroughput": 9_000_000 / 8, "uploadThroughput": 1_500_000 / 8},
}
PIN = "246810"


def serve(root, port, folder):
    """`python wsgi.py` of the checkout `root` on `port`, with a fresh database and the demo event."""
    env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port), "PUBLIC_URL": f"http://127.0.0.1:{port}",
           "DATABASE_URL": f"sqlite:///{folder}/queue.db", "INSTANCE_PATH": str(Path(folder) / "instance"),
           "DEMO_PIN": PIN, "ORGANISER_PASSWORD": "organiser-password-bench", "SECRET_KEY": "bench",
           "RATE_LIMITS": "off"}
    process = subprocess.Popen([sys.executable, "wsgi.py"], cwd=root, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            requests.get(f"http://127.0.0.1:{port}/", timeout=1)
            return process
        except requests.ConnectionError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start")


def measure(context, url, profile, live_selector):
    """Open `url` in a throttled tab: (first paint ms, "Live" ms) from navigation start."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, **PROFILES[profile]})
    page.goto(url, wait_until="commit", timeout=120_000)
    page.locator(f"{live_selector}[data-state=live]").wait_for(timeout=120_000)
    times = page.evaluate("""() => {
        const paint = performance.getEntriesByName("first-contentful-paint")[0];
        return [paint ? paint.startTime : null, performance.now()];
    }""")
    page.close()
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=str(ROOT))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profiles", default=",".join(PROFILES), help="comma-separated, of: " + ", ".join(PROFILES))
    args = parser.parse_args()
    print(conditions(bench="pages", root=Path(args.root).name, runs=args.runs,
                     client="Debian Chromium headless, DevTools network throttling"), flush=True)
    folder = tempfile.mkdtemp(prefix="bench-pages-")
    port = 5600 + os.getpid() % 300
    server = serve(args.root, port, folder)
    base = f"http://127.0.0.1:{port}"
    try:
        joined = requests.post(f"{base}/api/v1/events/demo/tickets", timeout=10, json={
            "bib": "77", "first_name": "Ana", "service": "pre",
            "screening": {"unwell": False, "injury": False, "medical_condition": False}}).json()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            for profile in args.profiles.split(","):
                for name, path in (("join", "/e/demo/join"), ("ticket", f"/t/{joined['token']}"), ("tablet", None)):
                    figures = {"first": [], "second": []}
                    for _ in range(args.runs):
                        context = browser.new_context(viewport={"width": 390, "height": 844})
                        url = base + path if path else _tablet_url(context, base)
                        for visit in ("first", "second"):
                            figures[visit].append(measure(context, url, profile, "#connection"))
                        context.close()
                    for visit, runs in figures.items():
                        paint = statistics.median(r[0] for r in runs if r[0] is not None)
                        live = statistics.median(r[1] for r in runs)
                        print(f"{profile:8} {name:7} {visit:6} visit: first paint {paint:6.0f} ms, Live {live:6.0f} ms",
                              flush=True)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


def _tablet_url(context, base):
    """Sign the context in as a therapist at table 1 (unthrottled) and give the tablet page's address."""
    page = context.new_page()
    page.goto(f"{base}/e/demo/staff")
    page.fill("input[name=pin]", PIN)
    page.click("button[type=submit]")
    page.locator("button[name=table][value=\"1\"]").click()
    page.wait_for_url("**/table/1")
    url = page.url
    page.close()
    return url


if __name__ == "__main__":
    main()
