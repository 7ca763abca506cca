"""`flask content export-bank` / `import-bank` from the shell (added to the content group by the
quiz plugin)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.content.loader import load_content

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture()
def content_dir(app):
    """Point CONTENT_DIR elsewhere for one test."""
    original = app.config["CONTENT_DIR"]

    def use(path: Path) -> None:
        app.config["CONTENT_DIR"] = str(path)

    yield use
    app.config["CONTENT_DIR"] = original


def test_export_gift_to_stdout_and_xml_to_a_file(app, runner, tmp_path):
    shipped = load_content(Path(app.config["CONTENT_DIR"]))
    result = runner.invoke(args=["content", "export-bank", "--format", "gift"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("// Etiquette Academy question bank")
    assert result.output.count("\n::") == len(shipped.questions)
    target = tmp_path / "bank.xml"
    result = runner.invoke(args=["content", "export-bank", "--format", "moodle-xml", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert f"wrote {len(shipped.questions)} question(s) to {target} (Moodle XML)" in result.output
    assert target.read_text(encoding="utf-8").startswith('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>')


def test_export_one_lesson_and_unknown_lesson(runner):
    result = runner.invoke(args=["content", "export-bank", "--format", "gift", "--lesson", "phone"])
    assert result.exit_code == 0
    assert "[tag:lesson:phone]" in result.output and "[tag:lesson:grooming]" not in result.output
    result = runner.invoke(args=["content", "export-bank", "--format", "gift", "--lesson", "nope"])
    assert result.exit_code != 0 and "unknown lesson 'nope'" in result.output


def test_export_refuses_a_bank_with_problems(runner, content_dir):
    content_dir(FIXTURES / "content" / "broken_types" / "single_no_tick")
    result = runner.invoke(args=["content", "export-bank", "--format", "gift"])
    assert result.exit_code != 0
    assert "nothing exported" in result.output


def test_import_dry_run_then_write_then_refuse_to_overwrite(runner, tmp_path):
    source = FIXTURES / "interchange" / "handwritten.gift"
    out = tmp_path / "out"
    result = runner.invoke(args=["content", "import-bank", str(source), "-o", str(out), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert f"{source}: GIFT, 15 question(s): 10 converted, 5 not converted" in result.output
    assert f"would write {out / 'phone.md'}: 7 question(s)" in result.output
    assert "not converted (5):" in result.output and ": essay question: no automatic grading" in result.output
    assert "greet-q: no cited clause (tag clause:<id> missing)" in result.output
    assert not out.exists()
    result = runner.invoke(args=["content", "import-bank", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["greet.md", "phone.md"]
    assert (out / "phone.md").read_text(encoding="utf-8").startswith("---\nlesson: phone\n---\n## phone-escapes\n")
    before = (out / "phone.md").read_bytes()
    result = runner.invoke(args=["content", "import-bank", str(source), "-o", str(out)])
    assert result.exit_code != 0 and "nothing written" in result.output
    assert (out / "phone.md").read_bytes() == before


def test_import_errors_are_clear(runner, tmp_path):
    gbk = tmp_path / "gbk.gift"
    gbk.write_bytes("::a::电话铃响三声之内接听。{T}\n".encode("gbk"))
    result = runner.invoke(args=["content", "import-bank", str(gbk), "-o", str(tmp_path / "o")])
    assert result.exit_code != 0 and "not valid UTF-8" in result.output and "save the file as UTF-8" in result.output
    bomb = FIXTURES / "interchange" / "entity_bomb.xml"
    result = runner.invoke(args=["content", "import-bank", str(bomb), "-o", str(tmp_path / "o")])
    assert result.exit_code != 0 and "refused" in result.output
    result = runner.invoke(args=["content", "import-bank", str(gbk), "--lesson", "Bad Id"])
    assert result.exit_code != 0 and "--lesson 'Bad Id'" in result.output
    assert not (tmp_path / "o").exists()
