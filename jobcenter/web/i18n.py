"""Compiles the translation catalogues (.po to .mo) without GNU gettext.

The message ids are the Danish texts: Danish is the language the system is
written in and the one the law speaks; the `en` catalogue translates them.
`make setup` runs `python -m jobcenter.web.i18n`.
"""

from pathlib import Path

import polib  # type: ignore[import-untyped]

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def compile_catalogues() -> list[Path]:
    compiled = []
    for po_path in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        catalogue = polib.pofile(str(po_path))
        mo_path = po_path.with_suffix(".mo")
        catalogue.save_as_mofile(str(mo_path))
        compiled.append(mo_path)
    return compiled


if __name__ == "__main__":
    for path in compile_catalogues():
        print(f"compiled {path.relative_to(LOCALE_DIR.parent.parent)}")
