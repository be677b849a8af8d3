"""Update the window's Japanese translation: the .ts from the sources, then the .qm from it.

    python packaging/update_translations.py                  # after changing a tr() string
    python packaging/update_translations.py --merge a.ts ... # also take translations from a.ts

1. `pyside6-lupdate` reads every `workbench/**/*.py` (sorted) into
   `resources/i18n/workbench_ja.ts`, the file translators edit (Qt Linguist or a text
   editor): new strings are added unfinished, translations of unchanged strings are kept,
   strings no longer in the sources are dropped (`-no-obsolete`). Locations are relative
   (paths relative to the .ts, line numbers relative to each other), so the file does not
   churn between machines or when a line moves.
2. With `--merge`, the finished translations of other .ts files (parts translated apart) fill
   the messages of the same context and source text.
3. `pyside6-lrelease` compiles it to `workbench/ui/translations/workbench_ja.qm`, package data
   that the wheel and the frozen app carry, and that `workbench.ui.language` loads.

Prints the number of unfinished messages (0 when the translation is complete); the tests
in tests/gui/test_japanese.py check that both files are current.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TS = ROOT / "resources" / "i18n" / "workbench_ja.ts"
QM = ROOT / "workbench" / "ui" / "translations" / "workbench_ja.qm"


def tool(name: str) -> str:
    """`pyside6-lupdate` or `pyside6-lrelease`: beside this Python (a venv) or on PATH."""
    beside = Path(sys.executable).parent / name
    for candidate in (beside, beside.with_suffix(".exe")):
        if candidate.is_file():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"error: {name} not found (install PySide6: pip install -e .)")
    return found


def sources(root: Path = ROOT) -> list[Path]:
    """Every Python file of the package, sorted: the same list, so the same .ts, everywhere."""
    return sorted(
        path for path in (root / "workbench").rglob("*.py") if "__pycache__" not in path.parts
    )


def lupdate(ts: Path, root: Path = ROOT) -> None:
    """Bring `ts` up to date with the sources (it is created when missing)."""
    files = [str(path.relative_to(root)) for path in sources(root)]
    command = [tool("pyside6-lupdate"), *files, "-ts", str(ts), "-no-obsolete"]
    command += ["-locations", "relative", "-source-language", "en", "-target-language", "ja_JP"]
    subprocess.run(command, cwd=root, check=True, capture_output=True, text=True)


def lrelease(ts: Path, qm: Path) -> None:
    qm.parent.mkdir(parents=True, exist_ok=True)
    command = [tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)]
    subprocess.run(command, check=True)


def messages(ts: Path) -> list[ET.Element]:
    return list(ET.parse(ts).getroot().iter("message"))


def finished(message: ET.Element) -> bool:
    """Whether a message has a translation that lrelease compiles (not unfinished, not empty)."""
    translation = message.find("translation")
    if translation is None or translation.get("type") in ("unfinished", "vanished", "obsolete"):
        return False
    return bool("".join(translation.itertext()).strip())


def unfinished(ts: Path) -> int:
    """The messages without a finished translation (lupdate's 'unfinished')."""
    return sum(not finished(message) for message in messages(ts))


def merge(ts: Path, parts: list[Path]) -> int:
    """Fill `ts`'s unfinished messages from the finished ones of `parts`; returns how many.

    A message matches on its context, source text and comment; failing that (a string that
    moved to another class), on its source text alone when that is a sentence (4 words or
    more) that the parts translate one way.
    The file is rewritten with ElementTree, then lupdate writes it in its own layout again.
    """
    done: dict[tuple[str, str, str], ET.Element] = {}
    by_source: dict[str, list[ET.Element]] = {}
    for part in parts:
        for context in ET.parse(part).getroot().iter("context"):
            name = context.findtext("name", "")
            for message in context.iter("message"):
                if finished(message):
                    translation = message.find("translation")
                    assert translation is not None
                    done[_key(name, message)] = translation
                    by_source.setdefault(message.findtext("source", ""), []).append(translation)
    tree = ET.parse(ts)
    filled = 0
    for context in tree.getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None or finished(message):
                continue
            found = done.get(_key(name, message))
            source = message.findtext("source", "")
            if found is None and len(source.split()) >= 4:  # a sentence; not a word, which
                same = by_source.get(source, [])  # may mean another thing in another class
                if len({_text(t) for t in same}) == 1:
                    found = same[0]
            if found is None:
                continue
            message.remove(translation)
            message.append(found)
            filled += 1
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    return filled


def _text(translation: ET.Element) -> tuple[str, ...]:
    return (translation.text or "", *(form.text or "" for form in translation.iter("numerusform")))


def _key(context: str, message: ET.Element) -> tuple[str, str, str]:
    return (context, message.findtext("source", ""), message.findtext("comment", ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--merge", nargs="+", type=Path, default=[], metavar="PART.ts")
    args = parser.parse_args(argv)
    TS.parent.mkdir(parents=True, exist_ok=True)
    lupdate(TS)
    if args.merge:
        print(f"merged {merge(TS, args.merge)} translations from {len(args.merge)} files")
        lupdate(TS)  # lupdate's own layout again, after ElementTree's
    lrelease(TS, QM)
    total, left = len(messages(TS)), unfinished(TS)
    print(f"{TS.relative_to(ROOT)}: {total} messages, {left} unfinished")
    print(f"{QM.relative_to(ROOT)}: {QM.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
