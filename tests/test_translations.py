"""Every term of every Neiqin add-on is translated into zh_CN and zh_TW, and
each add-on's .pot lists every term its code and data define."""

import os

import polib

from odoo.tests import TransactionCase
from odoo.tools.translate import TranslationModuleReader

from .common import as_neiqin_test

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADDONS = os.path.join(ROOT, "addons")
LANGS = ("zh_CN", "zh_TW")


def neiqin_modules():
    return sorted(
        name
        for name in os.listdir(ADDONS)
        if os.path.isfile(os.path.join(ADDONS, name, "__manifest__.py"))
    )


@as_neiqin_test
class TestTranslations(TransactionCase):
    def test_every_term_is_translated(self):
        missing = {}
        for module in neiqin_modules():
            pot = polib.pofile(os.path.join(ADDONS, module, "i18n", f"{module}.pot"))
            terms = {(e.msgctxt, e.msgid) for e in pot if e.msgid}
            for lang in LANGS:
                path = os.path.join(ADDONS, module, "i18n", f"{lang}.po")
                done = set()
                if os.path.exists(path):
                    done = {
                        (e.msgctxt, e.msgid)
                        for e in polib.pofile(path)
                        if e.msgstr and not e.obsolete
                    }
                gap = sorted(msgid for _ctx, msgid in terms - done)
                if gap:
                    missing[f"{module} {lang}"] = gap
        self.assertFalse(missing, f"untranslated terms: {missing}")

    def test_pot_files_are_up_to_date(self):
        stale = {}
        for module in neiqin_modules():
            pot = polib.pofile(os.path.join(ADDONS, module, "i18n", f"{module}.pot"))
            in_pot = {e.msgid for e in pot}
            reader = TranslationModuleReader(self.env.cr, modules=[module])
            in_code = {src for _mod, _type, _name, _res_id, src, _value, _comments in reader if src}
            gap = sorted(in_code - in_pot)
            if gap:
                stale[module] = gap
        self.assertFalse(stale, f"terms missing from the .pot files (run make i18n): {stale}")

    # ------------------------------------------------------------ texts the engines copy
    def _shipped_rules(self):
        """The data-quality rules the Neiqin add-ons ship (data and demo)."""
        data = self.env["ir.model.data"].search(
            [("model", "=", "neiqin.dq.rule"), ("module", "in", neiqin_modules())]
        )
        rules = (
            self.env["neiqin.dq.rule"].with_context(active_test=False).browse(data.mapped("res_id"))
        )
        return rules.exists()

    def test_every_shipped_rule_says_its_texts_in_chinese(self):
        """A rule's name and message are what its issues and the review's
        refusals say: each has its zh_CN and zh_TW text."""
        missing = {}
        for rule in self._shipped_rules():
            english = rule.with_context(lang="en_US")
            for lang in LANGS:
                translated = rule.with_context(lang=lang)
                for name in ("name", "message"):
                    if english[name] and translated[name] == english[name]:
                        missing.setdefault(lang, []).append(
                            f"{rule.get_external_id()[rule.id]}.{name}"
                        )
        self.assertFalse(missing, f"rule texts with no translation: {missing}")

    def test_issue_list_in_chinese_shows_no_english_of_shipped_rules(self):
        """The issues of shipped rules, read as the issue list reads them in
        zh_CN and zh_TW: nothing the user reads is the English source."""
        from odoo.addons.neiqin_base.engine.guard import engine_writes

        rules = self._shipped_rules()
        self.assertTrue(rules)
        with engine_writes():
            issues = self.env["neiqin.dq.issue"].create(
                [
                    {
                        "rule_id": rule.id,
                        "res_model": rule.model_name,
                        "res_id": 0,
                        "res_name": "R",
                        "severity": rule.severity,
                    }
                    for rule in rules
                ]
            )
        shown = ["message", "rule_id", "severity", "state"]
        english = {row["id"]: row for row in issues.with_context(lang="en_US").read(shown)}
        missing = {}
        for lang in LANGS:
            for row in issues.with_context(lang=lang).read(shown):
                for name in ("message", "rule_id"):
                    if row[name] and row[name] == english[row["id"]][name]:
                        missing.setdefault(lang, set()).add(str(row[name]))
            labels = issues.with_context(lang=lang).fields_get(["severity", "state"], ["selection"])
            for name, description in labels.items():
                english_labels = dict(
                    issues.with_context(lang="en_US").fields_get([name], ["selection"])[name][
                        "selection"
                    ]
                )
                for key, label in description["selection"]:
                    if label == english_labels[key]:
                        missing.setdefault(lang, set()).add(f"{name}: {label}")
        self.assertFalse(missing, f"the issue list shows English: {missing}")

    def test_the_mixins_states_on_orders_read_in_chinese(self):
        """The review and step states neiqin_base's mixins give orders are
        labelled in the reader's language, as the board and lists show them."""
        expected = {
            "zh_CN": {"exception": "异常", "to_review": "待审核"},
            "zh_TW": {"exception": "異常", "to_review": "待審核"},
        }
        for lang, labels in expected.items():
            fields = (
                self.env["sale.order"]
                .with_context(lang=lang)
                .fields_get(["neiqin_review_state", "neiqin_step_state"], ["selection"])
            )
            review = dict(fields["neiqin_review_state"]["selection"])
            step = dict(fields["neiqin_step_state"]["selection"])
            with self.subTest(lang=lang):
                for value, label in labels.items():
                    self.assertEqual(review[value], label)
                self.assertNotEqual(step["open"], "In Progress")
