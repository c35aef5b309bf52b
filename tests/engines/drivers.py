"""Two small WebDriver clients that need nothing downloaded: WebKit (Debian's WebKitWebDriver driving MiniBrowser,
classic W3C WebDriver over HTTP) and Gecko (Debian's firefox-esr, WebDriver BiDi over a WebSocket).

Both give a test the same `Device`: goto, run (a JavaScript function, awaited), tap (real input events, so a tap
is a user gesture that may unlock sound), fill, wait, screenshot. Every browser goes to the internet through a
proxy that is not there (127.0.0.1:9): nothing it tries leaves the machine.
"""

import base64
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import requests

from tests.support.server import free_port

MINIBROWSER = next(iter(sorted(Path("/usr/lib/x86_64-linux-gnu").glob("webkit2gtk-4.*/MiniBrowser"))), None)
WEBKIT_DRIVER = shutil.which("WebKitWebDriver") or "/usr/bin/WebKitWebDriver"
FIREFOX = "/usr/bin/firefox-esr"
NOWHERE = "127.0.0.1:9"  # the discard port: nothing listens, so any request outside our server fails at once
PHONE = (390, 844)
TABLET = (1024, 768)


def stop_group(process, timeout=5):
    """Stop a process started with start_new_session, and everything it started (a browser's helpers)."""
    if process.poll() is not None:
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=timeout)
            return
        except subprocess.TimeoutExpired:
            continue


class Device:
    """One phone or tablet: what a test does with a page, whichever engine shows it."""

    engine = ""

    def call(self, function, *args):
        """Run a JavaScript function (source text) in the page with `args`; awaits a promise; returns plain data."""
        raise NotImplementedError

    def run(self, function, *args):
        """Like call, after a navigation the driver reports as still loading: retried until the page answers."""
        for attempt in range(20):
            try:
                return self.call(function, *args)
            except RuntimeError:
                if attempt == 19:
                    raise
                time.sleep(0.1)

    def wait(self, function, *args, timeout=10.0, what=None):
        """Wait until `function(*args)` is truthy in the page; fail with what it last gave."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                value = self.call(function, *args)
            except RuntimeError as error:  # a page in the middle of a navigation
                value = error
            if value and not isinstance(value, Exception):
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.engine}: {what or function} did not happen within {timeout} s: {value!r}")
            time.sleep(0.05)

    def text(self, selector):
        """The text of the first element matching `selector` (None if there is none)."""
        return self.run("(s) => document.querySelector(s)?.textContent.trim() ?? null", selector)

    def wait_text(self, selector, expected, timeout=10.0):
        """Wait until the element's text is `expected`."""
        self.wait("(s, want) => document.querySelector(s)?.textContent.trim() === want", selector, expected,
                  timeout=timeout, what=f"{selector} reading {expected!r} (it reads {self.text(selector)!r})")

    def shown(self, selector):
        """True if the element is laid out and not hidden."""
        return self.run("(s) => { const el = document.querySelector(s); return Boolean(el && !el.closest('[hidden]')"
                        " && el.getClientRects().length); }", selector)

    def wait_shown(self, selector, shown=True, timeout=10.0):
        """Wait until the element is shown (or, with shown=False, hidden)."""
        self.wait("(s, want) => { const el = document.querySelector(s); return want === Boolean(el && "
                  "!el.closest('[hidden]') && el.getClientRects().length); }", selector, shown, timeout=timeout,
                  what=f"{selector} {'shown' if shown else 'hidden'}")

    def fill(self, selector, value):
        """Put `value` into a field as typing would leave it (input and change events)."""
        self.run("""(s, v) => { const el = document.querySelector(s); el.focus(); el.value = v;
            for (const name of ["input", "change"]) el.dispatchEvent(new Event(name, { bubbles: true })); }""",
                 selector, value)

    def set_visibility(self, state):
        """Emulate the screen going off ("hidden") or on ("visible"), as the page sees it (as tests/browser does)."""
        self.run("""(state) => {
            for (const [name, value] of [["visibilityState", state], ["hidden", state === "hidden"]]) {
                Object.defineProperty(document, name, { configurable: true, get: () => value });
            }
            document.dispatchEvent(new Event("visibilitychange"));
        }""", state)

    def outside_requests(self, origins):
        """Every resource the page loaded from anywhere but `origins` (a tent has no internet to spare)."""
        return self.run("""(origins) => performance.getEntriesByType("resource").map((e) => e.name)
            .filter((url) => !/^(data|blob):/.test(url) && !origins.some((o) => url.startsWith(o + "/")))""",
                        list(origins))


class WebKitDevice(Device):
    """MiniBrowser under Xvfb through its own WebKitWebDriver (one session per driver): an iPhone's engine."""

    engine = "webkit"

    def __init__(self, display, size, folder, init_script=None):
        self.init_script = init_script  # classic WebDriver has no init scripts: run after each load, before a tap
        self.port = free_port()
        self.log = open(Path(folder) / f"webkitwebdriver-{self.port}.log", "w")
        env = dict(os.environ, DISPLAY=display, GDK_BACKEND="x11")
        self.driver = subprocess.Popen([WEBKIT_DRIVER, f"--port={self.port}"], env=env, stdout=self.log,
                                       stderr=subprocess.STDOUT, start_new_session=True)
        self.base = f"http://127.0.0.1:{self.port}"
        self.http = requests.Session()
        try:
            self._start(size)
        except Exception:
            stop_group(self.driver)
            raise

    def _start(self, size):
        """Open a session in MiniBrowser, its window the device's size."""
        self._wait_for_driver()
        # -f: no toolbar, so the window is the viewport. A tap is needed for sound, as on an iPhone.
        options = {"binary": str(MINIBROWSER), "args": [
            "--automation", "-f", "--media-playback-requires-user-gesture=true", "--autoplay-policy=deny",
            f"--proxy=http://{NOWHERE}", "--ignore-host=127.0.0.1", "--ignore-host=localhost"]}
        capabilities = {"alwaysMatch": {"webkitgtk:browserOptions": options}}
        answer = self._send("POST", "/session", {"capabilities": capabilities}, session=False)
        self.session = f"/session/{answer['sessionId']}"
        self._send("POST", "/window/rect", {"width": size[0], "height": size[1]})

    def _wait_for_driver(self):
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if self.http.get(self.base + "/status", timeout=1).ok:
                    return
            except requests.RequestException:
                time.sleep(0.05)
        raise RuntimeError("WebKitWebDriver did not start")

    def _send(self, method, path, body=None, session=True):
        url = self.base + (self.session if session else "") + path
        answer = self.http.request(method, url, json=body if body is not None else ({} if method == "POST" else None),
                                   timeout=60).json()["value"]
        if isinstance(answer, dict) and "error" in answer:
            raise RuntimeError(f"webkit: {answer['error']}: {answer.get('message')}")
        return answer

    def goto(self, url):
        """Open `url` and wait for it to load."""
        self._send("POST", "/url", {"url": url})
        self._after_load()

    def reload(self):
        """Reload the page, as a runner pulling it down would."""
        self._send("POST", "/refresh")
        self._after_load()

    def _after_load(self):
        # WebKitWebDriver answers at "interactive", before the page's module scripts have run.
        self.wait("() => document.readyState === 'complete'", what="the page loaded")
        if self.init_script:
            self.call(f"() => {{ {self.init_script} }}")

    def call(self, function, *args):
        """Run `function` in the page (classic WebDriver awaits a returned promise)."""
        return self._send("POST", "/execute/sync", {"script": f"return ({function}).apply(null, arguments)",
                                                    "args": list(args)})

    def tap(self, selector):
        """Click the element as a finger would: scrolled into view, real events, a user gesture."""
        element = self._send("POST", "/element", {"using": "css selector", "value": selector})
        self._send("POST", f"/element/{next(iter(element.values()))}/click")

    def screenshot(self, path):
        """Save what the screen shows as a PNG."""
        Path(path).write_bytes(base64.b64decode(self._send("GET", "/screenshot")))

    def close(self):
        """End the session and the driver (and its MiniBrowser)."""
        try:
            self._send("DELETE", "")
        except (RuntimeError, requests.RequestException, ValueError):
            pass
        stop_group(self.driver)
        self.log.close()


class Xvfb:
    """A virtual X display for MiniBrowser (Debian's xvfb); -displayfd picks a free display number itself."""

    def __init__(self):
        read, write = os.pipe()
        self.process = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x1024x24", "-nolisten",
                                         "tcp"], pass_fds=(write,), stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, start_new_session=True)
        os.close(write)
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise RuntimeError("Xvfb did not start")
        self.display = f":{number}"

    def close(self):
        """Stop the display."""
        stop_group(self.process)


class PulseAudio:
    """A sound server with a null sink: Firefox's AudioContext runs only where there is an audio output, as on a
    phone; without one its state stays "suspended" whatever the page does."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.socket = self.folder / "native"
        env = dict(os.environ, HOME=str(self.folder), PULSE_RUNTIME_PATH=str(self.folder))
        self.process = subprocess.Popen(
            ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--disable-shm=yes", "--use-pid-file=no",
             "-L", "module-null-sink", "-L", f"module-native-protocol-unix auth-anonymous=1 socket={self.socket}"],
            env=env, stdout=subprocess.DEVNULL, stderr=open(self.folder / "pulseaudio.log", "w"),
            start_new_session=True)
        deadline = time.monotonic() + 10
        while not self.socket.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("pulseaudio did not start: " + (self.folder / "pulseaudio.log").read_text())
            time.sleep(0.05)
        self.server = f"unix:{self.socket}"

    def close(self):
        """Stop the sound server."""
        stop_group(self.process)
