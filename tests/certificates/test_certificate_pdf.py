"""The certificate PDF on its own: the committed font covers GB 2312, a rare character falls back."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest

from app.certificates import pdf


def _text(**overrides) -> pdf.CertificateText:
    values = dict(company="××物业服务有限公司", holder="张三", course="新员工入职培训", number="EA-2026-000001",
                  score=92.5, issued_on=dt.date(2026, 12, 4), expires_on=dt.date(2027, 12, 4),
                  verify_url="https://academy.example.com/verify/" + "a" * 32, content_version="f" * 64)
    values.update(overrides)
    return pdf.CertificateText(**values)


def test_the_committed_font_is_small_licensed_and_covers_gb2312():
    from scripts.build_cert_font import gb2312_characters

    assert pdf.FONT_PATH.stat().st_size < 4 * 1024 * 1024
    assert "SIL OPEN FONT LICENSE Version 1.1" in (pdf.FONT_PATH.parent / "OFL.txt").read_text(encoding="utf-8")
    hanzi = {c for c in gb2312_characters() if 0x4E00 <= c <= 0x9FFF}
    assert len(hanzi) == 6763 and hanzi <= pdf.covered()
    assert {ord(c) for c in "，。、：“”（）《》·—"} <= pdf.covered()


def test_a_character_outside_the_subset_is_drawn_as_a_box():
    pypdf = pytest.importorskip("pypdf")
    assert pdf.missing_characters("欧阳䶮娜") == ["䶮"]
    data = pdf.render(_text(holder="欧阳䶮娜"))
    text = re.sub(r"[\s\x00]+", "", pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text())
    assert "欧阳□娜" in text


def test_a_configured_fallback_font_draws_it(tmp_path):
    missing = tmp_path / "none.otf"
    data = pdf.render(_text(holder="欧阳䶮娜"), fallback_font=str(missing))  # absent file: ignored, no crash
    assert data.startswith(b"%PDF")


def test_qr_payload_is_the_verify_url():
    import segno

    url = "https://academy.example.com/verify/" + "b" * 32
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    assert [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(pdf.qr_png(url))))] == [url]
    assert segno.make(url, error="m").designator  # segno encodes it (version-error designator)
