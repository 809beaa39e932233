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
