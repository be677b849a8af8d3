"""Update the Japanese messages: the .po files from the sources, then the .mo files from them.

    python packaging/update_messages.py        # after changing a _() or N_() string

Two gettext domains, each its own pair of files, so that two people can work on them:
`workbench` (the engine's messages, below) and `report` (the HTML and PDF reports, see the
end of this docstring).

1. Babel extracts every `_()` and `N_()` string of the Qt-free engine (every
   `workbench/**/*.py` outside `workbench/ui`, whose strings are Qt's `tr()`, see
   update_translations.py) into a template, sorted, without locations, so the files do
   not churn when a line moves.
2. The template updates `workbench/locale/ja/LC_MESSAGES/workbench.po`, the file
   translators edit: new strings are added untranslated, translations of unchanged strings
   are kept, strings no longer in the sources are dropped. No fuzzy guesses: a changed
   string is untranslated until someone translates it.
3. The .po is compiled to `workbench.mo` beside it, package data that the wheel and the
   frozen app carry and that `workbench.i18n` loads.

Prints the number of untranslated messages (0 when the translation is complete);
tests/engine/test_messages.py checks that both files are current. Needs `babel` (the test
extra: pip install -e ".[test]").

The `report` domain, the same three steps into `report.po` / `report.mo` beside them: the
strings of the report templates (`workbench/report/templates/*.j2`: `{% trans %}` blocks and
`_()` calls, read by Jinja2's own Babel extractor with the options the report renders with)
and the `_()` / `N_()` strings of the Python files that import them from
`workbench.report.language`; those files belong to this domain alone, not to `workbench`.
tests/report/test_report_language.py checks these files.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "workbench" / "locale" / "ja" / "LC_MESSAGES" / "workbench.po"
MO = PO.with_suffix(".mo")
REPORT_PO = PO.with_name("report.po")
REPORT_MO = REPORT_PO.with_suffix(".mo")
KEYWORDS = {"_": None, "N_": None}
# What marks a Python file as the report domain's (workbench/report/language.py).
REPORT_IMPORT = "from workbench.report.language import"
# The templates' gettext functions: _() and the {% trans %} blocks (gettext / ngettext).
JINJA_KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}
# Jinja2's extractor reads the templates as the report renders them (html_report's
# JINJA_OPTIONS and JINJA_I18N; tests/report/test_report_language.py keeps them equal).
JINJA_OPTIONS = {
    "silent": "false",  # a template Jinja2 cannot parse is an error, not skipped
    "trim_blocks": "true",
    "lstrip_blocks": "true",
    "trimmed": "true",
    "newstyle_gettext": "true",
}
# Fixed, so that running the script on unchanged sources changes no byte of either file.
DATE = datetime(2026, 1, 1, tzinfo=UTC)
HEADER = "# The workbench's engine messages in Japanese: see packaging/update_messages.py.\n#"
REPORT_HEADER = "# The workbench's reports in Japanese: see packaging/update_messages.py.\n#"
HEADERS = {"workbench": HEADER, "report": REPORT_HEADER}


def _catalog(domain: str = "workbench", **extra: object) -> Catalog:
    return Catalog(
        project="workbench",
        version="",
        domain=domain,
        header_comment=HEADERS[domain],
        creation_date=DATE,
        revision_date=DATE,
        fuzzy=False,
        **extra,  # type: ignore[arg-type]
    )


def _python_files(root: Path) -> list[Path]:
    package = root / "workbench"
    return sorted(
        path
        for path in package.rglob("*.py")
        if "__pycache__" not in path.parts and (package / "ui") not in path.parents
    )


def report_sources(root: Path = ROOT) -> list[Path]:
    """The report domain's Python files, sorted: those that import its `_` / `N_`."""
    return [
        path for path in _python_files(root) if REPORT_IMPORT in path.read_text(encoding="utf-8")
    ]


def sources(root: Path = ROOT) -> list[Path]:
    """The engine's Python files, sorted, but the report domain's.

    The window's strings are Qt's, not gettext's.
    """
    reports = set(report_sources(root))
    return [path for path in _python_files(root) if path not in reports]


def templates(root: Path = ROOT) -> list[Path]:
    """The report templates, sorted."""
    return sorted((root / "workbench" / "report" / "templates").glob("*.j2"))


def _add_python(template: Catalog, paths: list[Path]) -> None:
    for path in paths:
        found = extract_from_file("python", str(path), keywords=KEYWORDS, comment_tags=())
        for _line, message, _comments, _context in found:
            if message:
                template.add(message, flags=("python-brace-format",))


def extract(root: Path = ROOT) -> Catalog:
    """Every marked string of the engine, in a template catalogue."""
    template = _catalog()
    _add_python(template, sources(root))
    return template


def extract_report(root: Path = ROOT) -> Catalog:
    """Every string of the reports, templates and Python, in a template catalogue."""
    template = _catalog("report")
    _add_python(template, report_sources(root))
    for path in templates(root):
        found = extract_from_file(
            "jinja2.ext:babel_extract",
            str(path),
            keywords=JINJA_KEYWORDS,
            comment_tags=(),
            options=JINJA_OPTIONS,
        )
        for _line, message, _comments, _context in found:
            if message:
                template.add(message)
    return template


def read(po: Path = PO) -> Catalog:
    with po.open("rb") as file:
        return read_po(file, locale="ja")


def update(po: Path = PO, template: Catalog | None = None) -> Catalog:
    """The .po brought up to date with the sources (created when missing); not written."""
    domain = "report" if po.name == REPORT_PO.name else "workbench"
    if template is None:
        template = extract_report() if domain == "report" else extract()
    catalog = read(po) if po.exists() else _catalog(domain, locale="ja")
    catalog.update(template, no_fuzzy_matching=True)
    catalog.header_comment, catalog.fuzzy, catalog.revision_date = HEADERS[domain], False, DATE
    catalog.obsolete.clear()  # dropped: the sources no longer say them
    return catalog


def untranslated(catalog: Catalog) -> list[str]:
    return [str(m.id) for m in catalog if m.id and (not m.string or m.fuzzy)]


def write(catalog: Catalog, po: Path = PO, mo: Path = MO) -> None:
    po.parent.mkdir(parents=True, exist_ok=True)
    with po.open("wb") as file:
        write_po(file, catalog, width=100, no_location=True, sort_output=True, omit_header=False)
    with mo.open("wb") as file:
        write_mo(file, catalog)


def main() -> int:
    for po, mo in ((PO, MO), (REPORT_PO, REPORT_MO)):
        catalog = update(po)
        write(catalog, po, mo)
        left = untranslated(catalog)
        print(f"{po.relative_to(ROOT)}: {len(catalog)} messages, {len(left)} untranslated")
        for message in left[:20]:
            print(f"  {message!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
