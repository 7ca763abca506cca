"""Translation catalog maintenance.

    python scripts/i18n.py update [NAME]   extract UI strings and merge them into catalog NAME (default: all)
    python scripts/i18n.py check           list strings with no (or only a fuzzy) zh_CN translation
    python scripts/i18n.py compile         build the .mo files (run by `make`, never committed)

English is the source language (msgids); zh_CN is the default interface language, so every msgid
must be translated: `check` fails otherwise, and a test runs it.

Each feature package keeps its own catalog (``app/<package>/translations``) next to its code, so
that work on one feature never edits another's catalog; Flask-Babel merges all directories listed
in ``BABEL_TRANSLATION_DIRECTORIES``. The core catalog (``app/translations``) holds everything else.
The catalog folder is named ``zh_Hans_CN`` because Babel normalises the locale ``zh_CN`` to
``zh_Hans_CN`` before it looks for a catalog: a ``zh_CN`` folder is silently never found.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE = "zh_Hans_CN"
PYBABEL = [sys.executable, "-m", "babel.messages.frontend"]

#: packages with a catalog of their own: their code in app/<name>/, templates in app/templates/<name>/
FEATURE_CATALOGS = ("content", "quizzes", "drills", "results", "training", "certificates", "appraisal", "admin",
                    "api")


def catalogs() -> dict[str, tuple[Path, list[str], list[str]]]:
    """name → (translations dir, python globs, template globs), for the catalogs that exist."""
    result = {"core": (ROOT / "app" / "translations", ["app/**.py"], ["app/templates/**.html"])}
    for name in FEATURE_CATALOGS:
        directory = ROOT / "app" / name / "translations"
        if directory.exists():
            result[name] = (directory, [f"app/{name}/**.py"], [f"app/templates/{name}/**.html"])
    return result


def _mapping(name: str, table) -> str:
    directory, py, html = table[name]
    lines = []
    if name == "core":  # exclude what the feature catalogs own
        for other, (_, opy, ohtml) in table.items():
            if other != "core":
                lines += [f"[ignore: {g}]" for g in opy + ohtml]
    lines += [f"[python: {g}]" for g in py] + [f"[jinja2: {g}]" for g in html]
    return "\n".join(lines) + "\n"


def extract(name: str, pot: Path, table) -> None:
    cfg = pot.with_suffix(".cfg")
    cfg.write_text(_mapping(name, table), encoding="utf-8")
    subprocess.run([*PYBABEL, "extract", "-F", str(cfg), "-k", "_l", "-k", "lazy_gettext", "--no-location",
                    "--sort-output", "-o", str(pot), "."], cwd=ROOT, check=True, capture_output=True)


def po_path(directory: Path) -> Path:
    return directory / LOCALE / "LC_MESSAGES" / "messages.po"


def update(only: str | None = None) -> None:
    table = catalogs()
    if only and only not in table:  # create a new feature catalog on first use
        if only not in FEATURE_CATALOGS:
            raise SystemExit(f"unknown catalog {only!r}; known: {', '.join(FEATURE_CATALOGS)}")
        (ROOT / "app" / only / "translations").mkdir(parents=True)
        table = catalogs()
    for name, (directory, _, _) in table.items():
        if only and name != only:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            pot = Path(tmp) / "messages.pot"
            extract(name, pot, table)
            command = "update" if po_path(directory).exists() else "init"
            args = [*PYBABEL, command, "-i", str(pot), "-d", str(directory), "-l", LOCALE]
            if command == "update":
                args += ["-N", "--no-wrap"]
            subprocess.run(args, check=True, capture_output=True)
        print(f"updated {po_path(directory).relative_to(ROOT)}")


def missing() -> list[str]:
    """msgids in the source that no catalog translates (or only fuzzily)."""
    from babel.messages.pofile import read_po

    table = catalogs()
    translated: dict[str, str] = {}
    wanted: list[str] = []
    for name, (directory, _, _) in table.items():
        with tempfile.TemporaryDirectory() as tmp:
            pot = Path(tmp) / "messages.pot"
            extract(name, pot, table)
            with pot.open("rb") as fh:
                wanted += [m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id]
        if po_path(directory).exists():
            with po_path(directory).open("rb") as fh:
                for m in read_po(fh, locale=LOCALE):
                    if m.id and m.string and not m.fuzzy:
                        translated[m.id if isinstance(m.id, str) else m.id[0]] = m.string
    return sorted({msgid for msgid in wanted if msgid not in translated})


def compile_catalogs() -> None:
    for directory, _, _ in catalogs().values():
        if po_path(directory).exists():
            subprocess.run([*PYBABEL, "compile", "-d", str(directory)], check=True, capture_output=True)


def translation_directories() -> str:
    """The value for BABEL_TRANSLATION_DIRECTORIES (relative to the app package)."""
    return ";".join(str(d.relative_to(ROOT / "app")) for d, _, _ in catalogs().values())


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    if command == "update":
        update(argv[2] if len(argv) > 2 else None)
    elif command == "compile":
        compile_catalogs()
    elif command == "check":
        gaps = missing()
        for msgid in gaps:
            print(f"untranslated: {msgid!r}")
        return 1 if gaps else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
