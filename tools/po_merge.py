"""Merge a .pot into a language's .po: keep existing translations, add new
terms untranslated, drop terms the .pot no longer has (arguments: pot po lang)."""

import os
import sys

import polib


def main(pot_path, po_path, lang):
    pot = polib.pofile(pot_path)
    old = polib.pofile(po_path) if os.path.exists(po_path) else polib.POFile()
    known = {(e.msgctxt, e.msgid): e.msgstr for e in old if e.msgstr}
    po = polib.POFile(wrapwidth=78)
    po.metadata = dict(pot.metadata)
    po.metadata["Language"] = lang
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.header = pot.header
    for entry in pot:
        entry.msgstr = known.get((entry.msgctxt, entry.msgid), "")
        po.append(entry)
    po.save(po_path)


if __name__ == "__main__":
    main(*sys.argv[1:4])
