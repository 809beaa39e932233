"""tools/compat_compare.py names a test from its module, wherever the
checkout that ran it lives: a baseline kept in the cache by one checkout
compares with the run of another."""

import importlib.util
import os
import tempfile
from contextlib import redirect_stdout
from io import StringIO

from odoo.tests import BaseCase

from .common import as_neiqin_test

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPEC = importlib.util.spec_from_file_location(
    "compat_compare", os.path.join(ROOT, "tools", "compat_compare.py")
)
compat_compare = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(compat_compare)

CASE = (
    '<testcase classname="{root}.odoo.addons.rma_sale.tests.test_rma_sale.TestRmaSale" '
    'name="{name}">{inner}</testcase>'
)


def report(root, outcomes):
    cases = "".join(
        CASE.format(root=root, name=name, inner="" if ok else "<failure/>")
        for name, ok in outcomes.items()
    )
    return f'<testsuites><testsuite name="pytest">{cases}</testsuite></testsuites>'


@as_neiqin_test
class TestCompatCompare(BaseCase):
    def _compare(self, baseline, neiqin):
        with tempfile.TemporaryDirectory() as tmp:
            paths = []
            for name, text in (("b.xml", baseline), ("n.xml", neiqin), ("k.txt", "")):
                paths.append(os.path.join(tmp, name))
                with open(paths[-1], "w", encoding="utf-8") as out:
                    out.write(text)
            output = StringIO()
            with redirect_stdout(output):
                status = compat_compare.main(*paths)
        return status, output.getvalue()

    def test_checkouts_elsewhere_compare(self):
        status, output = self._compare(
            report("tmp.one..venv.lib.python3.11.site-packages", {"test_a": True}),
            report("tmp.two..venv.lib.python3.11.site-packages", {"test_a": True}),
        )
        self.assertEqual(status, 0, output)

    def test_a_regression_is_named_by_its_module(self):
        status, output = self._compare(
            report("tmp.one..venv.lib.python3.11.site-packages", {"test_a": True}),
            report("tmp.two..venv.lib.python3.11.site-packages", {"test_a": False}),
        )
        self.assertEqual(status, 1)
        self.assertIn("rma_sale.tests.test_rma_sale.TestRmaSale::test_a: failed", output)

    def test_a_test_missing_with_neiqin_is_a_regression(self):
        status, output = self._compare(
            report("tmp.one", {"test_a": True, "test_b": True}),
            report("tmp.two", {"test_a": True}),
        )
        self.assertEqual(status, 1)
        self.assertIn("TestRmaSale::test_b: missing", output)
