"""The interface's translations: the .po file is their source of truth (edit it, then
`make messages`), and the compiled .mo that Django reads says exactly what the .po says."""

import gettext
from pathlib import Path

import polib
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_the_compiled_catalog_says_what_the_po_file_says():
    po = polib.pofile(str(LOCALE / "django.po"))
    with (LOCALE / "django.mo").open("rb") as handle:
        mo = gettext.GNUTranslations(handle)
    stale = []
    for entry in po.translated_entries():
        if entry.msgid_plural:
            got = mo.ngettext(entry.msgid, entry.msgid_plural, 1)
            want = entry.msgstr_plural[0]
        elif entry.msgctxt:
            got, want = mo.pgettext(entry.msgctxt, entry.msgid), entry.msgstr
        else:
            got, want = mo.gettext(entry.msgid), entry.msgstr
        if got != want:
            stale.append(entry.msgid)
    assert stale == [], "run `make messages` to compile the .po"
    assert len(po.translated_entries()) > 200
