"""A headless Chromium for the tests, driven over the DevTools protocol on a pipe.

Debian's `chromium` (scripts/system-deps.sh --test installs it) started with
`--remote-debugging-pipe` reads protocol messages on file descriptor 3 and answers on 4, each
a JSON object ended by a NUL byte. That is all the tests need (open a page, evaluate a script,
take a screenshot, list what the page requested), so no driver library is installed and no
port is opened. The browser runs with a fresh profile and with its background networking
(updates, sync, QUIC) off, so what it requests is what the page asked for.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--remote-debugging-pipe"]
MISSING = ("no Chromium found (looked for chromium, chromium-browser): the HTML twin is checked in a "
           "real browser. Fix: run `sudo scripts/system-deps.sh --test` (installs Debian's chromium; "
           "CI runs it as root) or `sudo apt-get install chromium`")


def executable() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


class Browser:
    """One browser, one page. Every call waits at most `timeout` seconds."""

    def __init__(self, exe: str, timeout: float = 30.0) -> None:
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="briefing-chromium-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        # fds 3 and 4 in the browser, whatever numbers the pipes have here
        wrapper = f'exec "$0" "$@" 3<&{to_browser_r} 4>&{from_browser_w}'
        self.process = subprocess.Popen(
            ["bash", "-c", wrapper, exe, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            pass_fds=(to_browser_r, from_browser_w), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]

    def call(self, method: str, session: str | None = None, **params: Any) -> dict:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        while True:
            answer = self._receive()
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer["result"]
            self.events.append(answer)

    def page(self, method: str, **params: Any) -> dict:
        return self.call(method, self.session, **params)

    def send(self, method: str, **params: Any) -> None:
        """A page command whose answer is not waited for (Page.navigate answers only once its
        request, paused by Fetch, is fulfilled)."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params, "sessionId": self.session}
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")

    def next_message(self) -> dict:
        """The next event or answer, queued or arriving."""
        return self.events.pop(0) if self.events else self._receive()

    def print_pdf(self, html: bytes, url: str) -> bytes:
        """`html` served from memory under `url` (nothing else it asks for is fetched), then
        printed as the browser's "Save as PDF" does: with its header (print date and time,
        title) and footer (URL, page n/m)."""
        self.page("Fetch.enable", patterns=[{"urlPattern": "*"}])
        self.page("Page.enable")
        self.send("Page.navigate", url=url)
        while True:
            msg = self.next_message()
            if msg.get("method") == "Fetch.requestPaused":
                rid = msg["params"]["requestId"]
                if msg["params"]["request"]["url"] == url and msg["params"].get("resourceType") == "Document":
                    self.send("Fetch.fulfillRequest", requestId=rid, responseCode=200,
                              responseHeaders=[{"name": "Content-Type", "value": "text/html; charset=utf-8"}],
                              body=base64.b64encode(html).decode())
                else:
                    self.send("Fetch.failRequest", requestId=rid, errorReason="BlockedByClient")
            elif msg.get("method") == "Page.loadEventFired":
                break
        self.page("Fetch.disable")
        data = self.page("Page.printToPDF", displayHeaderFooter=True, printBackground=False)["data"]
        return base64.b64decode(data)

    def _receive(self) -> dict:
        deadline = time.monotonic() + self.timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._from_browser], [], [], max(left, 0))
            if not ready:
                raise TimeoutError(f"Chromium did not answer within {self.timeout} s")
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise RuntimeError(f"Chromium exited ({self.process.poll()})")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def wait_for(self, method: str) -> dict:
        """The first event `method` not yet consumed (waiting for it if need be)."""
        while True:
            for i, event in enumerate(self.events):
                if event.get("method") == method:
                    return self.events.pop(i)
            self.events.append(self._receive())

    def open(self, url: str, width: int, height: int) -> None:
        """Load `url` at a laptop's window size and wait until its fonts are ready."""
        self.page("Page.enable")
        self.page("Network.enable")
        self.page("Emulation.setDeviceMetricsOverride", width=width, height=height,
                  deviceScaleFactor=1, mobile=False)
        self.page("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")
        self.evaluate("document.fonts.ready.then(() => true)")

    def evaluate(self, script: str) -> Any:
        result = self.page("Runtime.evaluate", expression=script, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, path: Path) -> None:
        data = self.page("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))

    def requested(self) -> list[str]:
        """Every URL the page asked for so far."""
        while True:      # drain what has arrived
            ready, _, _ = select.select([self._from_browser], [], [], 0.2)
            if not ready and b"\0" not in self._buffer:
                break
            self.events.append(self._receive())
        return [e["params"]["request"]["url"] for e in self.events
                if e.get("method") == "Network.requestWillBeSent"]

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, TimeoutError, OSError):    # it may exit before answering
            self.call("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for fd in (self._to_browser, self._from_browser):
            os.close(fd)
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
