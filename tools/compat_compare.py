"""Compare two JUnit reports of Odoo's own tests: without Neiqin (baseline)
and with every Neiqin add-on. Exit 1 when a test that passes without Neiqin
fails, errs or is missing with it.

    compat_compare.py BASELINE.xml NEIQIN.xml KNOWN_FAILURES.txt

KNOWN_FAILURES.txt lists the tests that fail in this environment without
Neiqin too, one per line: ``test id | reason`` (``#`` starts a comment).
They are printed with their reason; a listed test that now passes without
Neiqin is reported so that the list stays true.
"""

import sys
import xml.etree.ElementTree as ET


def short(test_id):
    """A test id without the path to Odoo's source tree."""
    head, sep, tail = test_id.rpartition(".addons.")
    return tail if sep else test_id


def outcomes(path):
    """{test id: passed | failed | error | skipped} of a JUnit report. A test
    is named from its module (``sale.tests.test_sale_flow.TestSaleFlow``):
    the report names it from the root, through the checkout's virtualenv for
    the OCA's tests, and a baseline kept in the cache comes from another
    checkout."""
    result = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        test_id = short(f"{case.get('classname')}::{case.get('name')}")
        outcome = "passed"
        for child in case:
            if child.tag in ("failure", "error", "skipped"):
                outcome = {"failure": "failed"}.get(child.tag, child.tag)
                break
        result[test_id] = outcome
    return result


def known_failures(path):
    known = {}
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            line = line.split("#", 1)[0].strip()
            if line:
                test_id, __, reason = line.partition("|")
                known[test_id.strip()] = reason.strip()
    return known


def main(baseline_path, neiqin_path, known_path):
    baseline = outcomes(baseline_path)
    neiqin = outcomes(neiqin_path)
    known = known_failures(known_path)
    regressions = sorted(
        test_id
        for test_id, outcome in baseline.items()
        if outcome == "passed" and neiqin.get(test_id, "missing") not in ("passed", "skipped")
    )
    failing_anyway = sorted(
        test_id for test_id, outcome in baseline.items() if outcome in ("failed", "error")
    )
    counts = {
        side: {name: list(results.values()).count(name) for name in ("passed", "failed", "error")}
        for side, results in (("without Neiqin", baseline), ("with Neiqin", neiqin))
    }
    for side, count in counts.items():
        print(
            f"{side}: {count['passed']} passed, {count['failed']} failed, {count['error']} errors"
        )
    if failing_anyway:
        print("\nFailing without Neiqin too (this environment's, not Neiqin's):")
        for test_id in failing_anyway:
            reason = known.get(test_id, "not listed in tools/compat_known_failures.txt")
            print(f"  {test_id}: {reason}")
    stale = sorted(name for name in known if name not in failing_anyway)
    if stale:
        print("\nListed as failing without Neiqin, but they do not fail now:")
        for name in stale:
            print(f"  {name}")
    if regressions:
        print(f"\n{len(regressions)} test(s) pass without Neiqin and fail with it:")
        for test_id in regressions:
            print(f"  {test_id}: {neiqin.get(test_id, 'missing')}")
        return 1
    print("\nNo test that passes without Neiqin fails with it.")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
