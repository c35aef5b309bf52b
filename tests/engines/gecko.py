"""Debian's firefox-esr driven over WebDriver BiDi (its own WebSocket protocol; no geckodriver, nothing downloaded).

One Firefox per test process; each device is a user context (its own cookies and storage) with its own window,
so a phone and a tablet side by side are both visible, as two real devices are.
"""

import base64
import itertools
import json
import os
import re
import subprocess
import time
from pathlib import Path

import websocket

from tests.engines.drivers import FIREFOX
from tests.engines.drivers import NOWHERE
from tests.engines.drivers import Device
from tests.engines.drivers import stop_group

# Nothing of Firefox's own reaches out: no updates, telemetry, safe browsing or captive-portal probes, and every
# address but this machine's goes to a proxy that is not there.
PREFS = {
    "app.update.disabledForTesting": True, "app.normandy.enabled": False, "browser.safebrowsing.malware.enabled": False,
    "browser.safebrowsing.phishing.enabled": False, "browser.safebrowsing.downloads.enabled": False,
    "browser.shell.checkDefaultBrowser": False, "browser.startup.homepage_override.mstone": "ignore",
    "browser.aboutwelcome.enabled": False, "browser.newtabpage.enabled": False, "browser.search.update": False,
    "datareporting.policy.dataSubmissionEnabled": False, "datareporting.healthreport.uploadEnabled": False,
    "toolkit.telemetry.enabled": False, "extensions.update.enabled": False, "media.gmp-manager.updateEnabled": False,
    "network.captive-portal-service.enabled": False, "network.connectivity-service.enabled": False,
    "network.dns.disablePrefetch": True, "network.prefetch-next": False, "network.trr.mode": 5,
    "network.proxy.type": 1, "network.proxy.http": NOWHERE.split(":")[0], "network.proxy.http_port": 9,
    "network.proxy.ssl": NOWHERE.split(":")[0], "network.proxy.ssl_port": 9, "network.proxy.no_proxies_on": "",
    "services.settings.server": f"http://{NOWHERE}/", "identity.fxaccounts.enabled": False,
    "ui.useOverlayScrollbars": 1,  # as on a phone: a scrollbar takes no width from the page
}


def _local(value):
    """A Python value as a BiDi LocalValue."""
    if value is None:
        return {"type": "null"}
    if isinstance(value, bool):
        return {"type": "boolean", "value": value}
    if isinstance(value, (int, float)):
        return {"type": "number", "value": value}
    if isinstance(value, str):
        return {"type": "string", "value": value}
    if isinstance(value, (list, tuple)):
        return {"type": "array", "value": [_local(item) for item in value]}
    return {"type": "object", "value": [[str(key), _local(item)] for key, item in value.items()]}


def _plain(remote):
    """A BiDi RemoteValue as plain Python data (a node keeps its shared id)."""
    kind, value = remote.get("type"), remote.get("value")
    if kind in ("undefined", "null"):
        return None
    if kind in ("string", "boolean"):
        return value
    if kind == "number":
        return value if isinstance(value, (int, float)) else float(value.replace("Infinity", "inf"))
    if kind == "array":
        return [_plain(item) for item in value]
    if kind == "object":
        return {key if isinstance(key, str) else str(_plain(key)): _plain(item) for key, item in value}
    if kind == "node":
        return {"sharedId": remote["sharedId"]}
    return value


class Firefox:
    """One headless firefox-esr with its BiDi session; `device()` opens a phone or tablet in it."""

    def __init__(self, folder, pulse_server):
        self.folder = Path(folder)
        profile = self.folder / "profile"
        profile.mkdir()
        (profile / "user.js").write_text("".join(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n"
                                                 for k, v in PREFS.items()))
        self.log_path = self.folder / "firefox.log"
        env = dict(os.environ, PULSE_SERVER=pulse_server, MOZ_CRASHREPORTER_DISABLE="1")
        self.process = subprocess.Popen([FIREFOX, "--headless", "--no-remote", "--profile", str(profile),
                                         "--remote-debugging-port=0", "about:blank"], env=env,
                                        stdout=subprocess.DEVNULL, stderr=open(self.log_path, "w"),
                                        start_new_session=True)
        address = self._listening()
        self.socket = websocket.create_connection(f"{address}/session", suppress_origin=True, timeout=60)
        self.ids = itertools.count(1)
        self.send("session.new", capabilities={"alwaysMatch": {"unhandledPromptBehavior": {"default": "accept"}}})
        self.blank = self.send("browsingContext.getTree")["contexts"][0]["context"]

    def _listening(self):
        """The BiDi address Firefox prints once its remote agent listens."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            found = re.search(r"WebDriver BiDi listening on (ws://\S+)", self.log_path.read_text())
            if found:
                return found.group(1)
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError("firefox-esr did not start:\n" + self.log_path.read_text())

    def send(self, method, **params):
        """One BiDi command; its result (events in between are not subscribed to, so none come)."""
        number = next(self.ids)
        self.socket.send(json.dumps({"id": number, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == number:
                if message.get("type") == "error":
                    raise RuntimeError(f"gecko: {method}: {message.get('error')}: {message.get('message')}")
                return message["result"]

    def device(self, size, init_script=None):
        """A new device: its own user context and window, the viewport `size`, and `init_script` before any page's."""
        return GeckoDevice(self, size, init_script)

    def close(self):
        """Close the browser."""
        try:
            self.send("browser.close")
        except (RuntimeError, OSError, websocket.WebSocketException):
            pass
        self.socket.close()
        stop_group(self.process)


class GeckoDevice(Device):
    """A phone or tablet in Firefox."""

    engine = "gecko"

    def __init__(self, browser, size, init_script=None):
        self.browser = browser
        self.user_context = browser.send("browser.createUserContext")["userContext"]
        if init_script:
            browser.send("script.addPreloadScript", functionDeclaration=f"() => {{ {init_script} }}",
                         userContexts=[self.user_context])
        self.context = browser.send("browsingContext.create", type="window",
                                    userContext=self.user_context)["context"]
        browser.send("browsingContext.setViewport", context=self.context,
                     viewport={"width": size[0], "height": size[1]}, devicePixelRatio=1)

    def goto(self, url):
        """Open `url` and wait for it to load."""
        self.browser.send("browsingContext.navigate", context=self.context, url=url, wait="complete")

    def reload(self):
        """Reload the page."""
        self.browser.send("browsingContext.reload", context=self.context, wait="complete")

    def call(self, function, *args):
        """Run `function` in the page with `args`, awaiting a promise."""
        answer = self.browser.send("script.callFunction", functionDeclaration=function, awaitPromise=True,
                                   arguments=[_local(arg) for arg in args], target={"context": self.context},
                                   resultOwnership="none")
        if answer.get("type") == "exception":
            raise RuntimeError(f"gecko: {answer['exceptionDetails'].get('text')}")
        return _plain(answer["result"])

    def tap(self, selector):
        """A finger's tap on the element (touch input through the browser: trusted, a user gesture)."""
        element = self.call("(s) => { const el = document.querySelector(s); el.scrollIntoView({ block: 'center' });"
                            " return el; }", selector)
        if not element:
            raise RuntimeError(f"gecko: nothing matches {selector}")
        self.browser.send("input.performActions", context=self.context, actions=[{
            "type": "pointer", "id": "finger", "parameters": {"pointerType": "touch"}, "actions": [
                {"type": "pointerMove", "x": 0, "y": 0, "origin": {"type": "element", "element": element}},
                {"type": "pointerDown", "button": 0}, {"type": "pointerUp", "button": 0}]}])

    def screenshot(self, path):
        """Save the viewport as a PNG."""
        data = self.browser.send("browsingContext.captureScreenshot", context=self.context)["data"]
        Path(path).write_bytes(base64.b64decode(data))

    def close(self):
        """Close the device's window and forget its cookies."""
        try:
            self.browser.send("browser.removeUserContext", userContext=self.user_context)
        except RuntimeError:
            pass
