"""Each Neiqin add-on installs on its dependencies alone, into a fresh
database, and uninstalls without leaving invalid views, scheduled actions
on a missing model or method, nor any of its XML ids.

The work is done by tools/install_check.sh (also `make test-install`), in
processes and a database of its own, as Odoo's installer runs: about three
minutes."""

import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_each_addon_installs_alone_and_uninstalls_cleanly():
    result = subprocess.run(
        [os.path.join(ROOT, "tools", "install_check.sh")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    # The checks print one line per problem; Odoo's log goes to stderr.
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr[-6000:]}"
