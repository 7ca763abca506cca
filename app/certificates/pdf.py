"""The PDF certificate: fpdf2 with an embedded Chinese font and a segno QR code of the verify URL.

The font is committed (``fonts/NotoSansSC-Certificate.otf``: a subset of Noto Sans CJK SC, SIL OFL
1.1, built by ``scripts/build_cert_font.py``) so the PDF never depends on the server's fonts; fpdf2
embeds only the glyphs a certificate uses (a few tens of KB). A character outside the subset
(a rare hanzi in a name) is drawn with ``CERTIFICATE_FALLBACK_FONT`` when that file is configured,
otherwise as "□"; the verification page (HTML) always shows the exact name.

The texts are bilingual (Chinese first, English below), whatever the interface language: a
certificate is one document for everyone who reads it.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import segno
from fontTools.ttLib import TTFont
from fpdf import FPDF

logger = logging.getLogger(__name__)

FONT_PATH = Path(__file__).resolve().parent / "fonts" / "NotoSansSC-Certificate.otf"
FONT = "NotoSansSC"
FALLBACK = "Fallback"
#: drawn for a character the embedded font lacks (when no fallback font is configured)
MISSING_MARK = "□"
NAVY, GOLD, GREY = (22, 45, 84), (176, 141, 60), (90, 90, 90)
REVOKED_RED = (190, 30, 45)


@dataclass(frozen=True)
class CertificateText:
    """Everything printed on a certificate (the route assembles it; this module only draws)."""

    company: str
    holder: str
    course: str
    number: str
    score: float
    issued_on: dt.date
    expires_on: dt.date
    verify_url: str
    content_version: str
    #: set once HR revoked the certificate: the PDF then carries a stamp saying so across the page
    revoked_on: dt.date | None = None


@lru_cache(maxsize=4)
def covered(path: str = str(FONT_PATH)) -> frozenset[int]:
    """The code points the font has glyphs for."""
    font = TTFont(path, lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


def printable(text: str, *, fallback: bool = False) -> str:
    """``text`` with every character the embedded font lacks replaced by MISSING_MARK (unless a
    fallback font will draw it)."""
    if fallback:
        return text
    cmap = covered()
    return "".join(ch if ord(ch) in cmap or ch.isspace() else MISSING_MARK for ch in text)


def missing_characters(text: str) -> list[str]:
    cmap = covered()
    return [ch for ch in dict.fromkeys(text) if ord(ch) not in cmap and not ch.isspace()]


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()


def _centered(pdf: FPDF, y: float, text: str, size: float, color=NAVY) -> None:
    pdf.set_text_color(*color)
    pdf.set_font(FONT, size=size)
    pdf.set_xy(pdf.l_margin, y)
    pdf.cell(pdf.w - pdf.l_margin - pdf.r_margin, size * 0.5, text, align="C")


def render(text: CertificateText, *, fallback_font: str | None = None) -> bytes:
    """The certificate as PDF bytes (A4 landscape)."""
    has_fallback = bool(fallback_font) and Path(fallback_font).is_file()
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_creator("Etiquette Academy")
    pdf.set_title(f"{text.course} · {text.number}")
    pdf.set_author(text.company)
    pdf.set_auto_page_break(False)
    pdf.set_margins(20, 20, 20)
    pdf.add_font(FONT, "", str(FONT_PATH))
    if has_fallback:
        pdf.add_font(FALLBACK, "", fallback_font)
        pdf.set_fallback_fonts([FALLBACK])
    pdf.add_page()
    w, h = pdf.w, pdf.h
    # frame: a thick navy line and a thin gold one inside it
    pdf.set_draw_color(*NAVY)
    pdf.set_line_width(1.6)
    pdf.rect(8, 8, w - 16, h - 16)
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(0.5)
    pdf.rect(12, 12, w - 24, h - 24)

    def p(value: str) -> str:
        return printable(value, fallback=has_fallback)

    _centered(pdf, 24, p(text.company), 16, GREY)
    _centered(pdf, 40, "培训合格证书", 34)
    _centered(pdf, 58, "CERTIFICATE OF COMPLETION", 12, GOLD)
    _centered(pdf, 76, "兹证明 / This certifies that", 13, GREY)
    _centered(pdf, 88, p(text.holder), 30)
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(0.3)
    pdf.line(w / 2 - 60, 106, w / 2 + 60, 106)
    _centered(pdf, 112, "已完成以下课程的培训并考核合格 / has completed and passed", 13, GREY)
    _centered(pdf, 124, p(text.course), 22)
    _centered(pdf, 140, f"综合成绩 Score  {text.score:.1f}", 13, NAVY)

    # details, bottom left
    pdf.set_font(FONT, size=11)
    pdf.set_text_color(*NAVY)
    rows = [("证书编号 No.", text.number), ("发证日期 Issued", text.issued_on.isoformat()),
            ("有效期至 Valid until", text.expires_on.isoformat()), ("内容版本 Version", text.content_version[:12])]
    y = 160
    for label, value in rows:
        pdf.set_xy(30, y)
        pdf.set_text_color(*GREY)
        pdf.cell(42, 7, label)
        pdf.set_text_color(*NAVY)
        pdf.cell(80, 7, value)
        y += 7.5

    # QR code, bottom right, with the URL under it
    size = 34
    x, qy = w - 30 - size, 152
    pdf.image(io.BytesIO(qr_png(text.verify_url)), x=x, y=qy, w=size, h=size)
    pdf.set_font(FONT, size=8)
    pdf.set_text_color(*GREY)
    pdf.set_xy(x - 30, qy + size + 1)
    pdf.cell(size + 60, 4, "扫码验证 / Scan to verify", align="C")
    pdf.set_xy(20, h - 17)
    pdf.set_font(FONT, size=7)
    pdf.cell(w - 40, 4, text.verify_url, align="R")
    if text.revoked_on is not None:
        _revoked_stamp(pdf, text.revoked_on)
    return bytes(pdf.output())


def _revoked_stamp(pdf: FPDF, revoked_on: dt.date) -> None:
    """A red, tilted "已撤销 / REVOKED" with the date across the middle: a copy of a revoked certificate
    (HR keeps one for its records) can never pass for a valid one, printed or not."""
    w, h = pdf.w, pdf.h
    pdf.set_text_color(*REVOKED_RED)
    pdf.set_draw_color(*REVOKED_RED)
    with pdf.rotation(18, x=w / 2, y=h / 2):
        pdf.set_line_width(1.2)
        pdf.rect(w / 2 - 85, h / 2 - 22, 170, 44)
        pdf.set_font(FONT, size=40)
        pdf.set_xy(w / 2 - 85, h / 2 - 19)
        pdf.cell(170, 22, "已撤销  REVOKED", align="C")
        pdf.set_font(FONT, size=13)
        pdf.set_xy(w / 2 - 85, h / 2 + 5)
        pdf.cell(170, 12, f"撤销日期 Revoked on {revoked_on.isoformat()}", align="C")
