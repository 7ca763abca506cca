"""Build the certificate font: a subset of Noto Sans CJK SC (SIL OFL 1.1) committed to the repo.

The PDF certificate must not depend on the fonts installed on the server, so the app ships its own
font in ``app/certificates/fonts/``. This script makes it from Debian's ``fonts-noto-cjk`` package
(``apt-get install -y fonts-noto-cjk``) with fontTools:

* ASCII and Latin-1 (names, numbers, the English interface),
* every character of GB 2312 (the 6,763 common hanzi, full-width forms, punctuation),
* CJK symbols and punctuation (U+3000-303F) and the half/full-width forms (U+FF00-FFEF),
* general punctuation (U+2010-206F: dashes, quotes, the middle dot of foreign names).

Run ``python scripts/build_cert_font.py`` (optionally ``--source PATH --output PATH``); the output
is deterministic for a given source file. A name with a character outside the subset is still
printed: the PDF falls back to a second built-in font for that character (see app/certificates/pdf.py).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
DEFAULT_OUTPUT = ROOT / "app" / "certificates" / "fonts" / "NotoSansSC-Certificate.otf"
#: the face inside the collection (the collection holds JP, KR, SC, TC, HK)
FAMILY = "Noto Sans CJK SC"


def gb2312_characters() -> set[int]:
    """Every character GB 2312 encodes (rows 0xA1-0xF7, cells 0xA1-0xFE)."""
    chars: set[int] = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes([high, low]).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return chars


def wanted_codepoints() -> set[int]:
    chars = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))
    chars |= gb2312_characters()
    chars |= set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0)) | set(range(0x2010, 0x2070))
    return chars


def _face(source: Path) -> TTFont:
    if source.suffix.lower() == ".ttc":
        for font in TTCollection(str(source)).fonts:
            if font["name"].getDebugName(1) == FAMILY:
                return font
        raise SystemExit(f"{source}: no face named {FAMILY!r}")
    return TTFont(str(source))


def build(source: Path, output: Path) -> int:
    font = _face(source)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False
    options.hinting = False  # the PDF is printed or zoomed: hints only add bytes
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(wanted_codepoints()))
    subsetter.subset(font)
    output.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(output))
    return output.stat().st_size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    if not args.source.exists():
        print(f"{args.source} not found: apt-get install -y fonts-noto-cjk", file=sys.stderr)
        return 1
    size = build(args.source, args.output)
    print(f"{args.output}: {size / 1024 / 1024:.2f} MB, {len(wanted_codepoints())} code points wanted")
    return 0


if __name__ == "__main__":
    sys.exit(main())
