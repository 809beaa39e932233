"""Screenshots taken by the tours, for the README.

A tour step logs ``neiqin:screenshot <name>`` (the helper ``screenshot()`` of
``neiqin_base/static/tests/tours/tour_utils.js``); when the environment
variable ``NEIQIN_SCREENSHOTS`` names a folder (``make screenshots`` sets it
to ``docs/screenshots``), the browser running the tour saves what it shows
there as ``<name>-<width>.png``. Without it the step only logs.
"""

import base64
import contextlib
import logging
import os
import pathlib
from unittest.mock import patch

from odoo.tests import common

_logger = logging.getLogger(__name__)
SIGNAL = "neiqin:screenshot "


class ScreenshotBrowser(common.ChromeBrowser):
    """Odoo's test browser, saving a screenshot when a tour asks for one."""

    def _handle_console(self, type, args=None, stackTrace=None, **kw):  # noqa: A002
        if type == "log" and args:
            text = str(self._from_remoteobject(args[0]))
            if text.startswith(SIGNAL):
                self._save_screenshot(text[len(SIGNAL) :].strip())
        return super()._handle_console(type, args=args, stackTrace=stackTrace, **kw)

    def _save_screenshot(self, name):
        folder = os.environ.get("NEIQIN_SCREENSHOTS")
        if not folder or not name.replace("_", "").replace("-", "").isalnum():
            return
        width = self.test_case.browser_size.split(",")[0]
        path = pathlib.Path(folder) / f"{name}-{width}.png"

        def save(future):
            try:
                data = future.result(timeout=0)["data"]
            except Exception as exc:  # noqa: BLE001 - a screenshot never fails a tour
                _logger.warning("screenshot %s not taken: %s", name, exc)
                return
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(base64.b64decode(data, validate=True))
            _logger.info("screenshot saved: %s", path)

        future = self._websocket_send("Page.captureScreenshot", with_future=True)
        if future is not None:
            future.add_done_callback(save)


@contextlib.contextmanager
def screenshots():
    """Run a tour in a browser that takes the screenshots it asks for."""
    with patch.object(common, "ChromeBrowser", ScreenshotBrowser):
        yield
