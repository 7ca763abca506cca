"""Hypothesis fuzzing: the CSV/XLSX importers never write a partial import, and the rubric graders
(complaint record, polite language) are deterministic with scores within 0-100.

Each property counts the examples it ran and prints the figure (SECURITY.md quotes it).
"""

from __future__ import annotations

import csv
import io

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.drills.complaint.grading import grade_complaint
from app.drills.language.grading import grade_answer
from app.drills.models import ComplaintExercise, LanguagePrompt
from app.people.import_files import ImportFileError, read_upload
from app.people.imports import ImportRowsError, commit_import, validate_rows
from app.people.models import Employee
from app.people.passwords import PasswordPolicyError
from app.people.services import PeopleError

HEADER = ["工号", "姓名", "部门", "班组", "岗位", "入职日期", "角色"]
CELL = st.one_of(
    st.sampled_from(["N1", "N2", "n1", "客服部", "前台一班", "学员", "主管", "admin", "trainee", "2024-01-01",
                     "2024/13/40", "", " ", "=1+1", "X" * 80, "\ufeff工号", "工号", "\x00"]),
    st.text(max_size=10),
    st.integers(-5, 99999).map(str),
)
VALID_ROW = st.tuples(st.integers(100, 999).map(lambda n: f"N{n}"), st.sampled_from(["钱新", "孙新", "李四"]),
                      st.just(""), st.just(""), st.just("客服专员"), st.sampled_from(["2024-01-01", ""]),
                      st.sampled_from(["学员", "trainee", ""])).map(list)
ROWS = st.lists(st.one_of(VALID_ROW, VALID_ROW, st.lists(CELL, min_size=0, max_size=9)), min_size=0, max_size=8)
FUZZ = settings(max_examples=120, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
COUNTS: dict[str, int] = {}


def _employees(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Employee))


def _import_all_or_nothing(db, filename: str, data: bytes) -> str:
    """Run upload → validate → commit like the pages do; check all or nothing; leave no trace."""
    before = _employees(db)
    try:
        try:
            rows, _notices = read_upload(filename, data)
        except ImportFileError:
            return "refused file"
        validate_rows(rows, actor_role="admin")
        try:
            created = commit_import(rows, actor_id=None, actor_role="admin", source=filename)
            db.session.flush()
        except (ImportRowsError, IntegrityError, PeopleError, PasswordPolicyError):
            db.session.rollback()
            assert _employees(db) == before  # nothing written
            return "refused rows"
        assert len(created) == len(rows)
        assert _employees(db) == before + len(rows)  # every row, or (above) none
        return "imported"
    finally:
        db.session.rollback()


def _csv_bytes(rows: list[list[str]], encoding: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding, errors="ignore")


@FUZZ
@given(rows=ROWS, encoding=st.sampled_from(["utf-8", "utf-8-sig", "gbk"]), cut=st.none() | st.integers(0, 300),
       junk=st.binary(max_size=20))
def test_csv_import_is_all_or_nothing(db, rows, encoding, cut, junk):
    data = _csv_bytes(rows, encoding)
    if cut is not None:
        data = data[:cut] + junk
    outcome = _import_all_or_nothing(db, "fuzz.csv", data)
    COUNTS[f"csv {outcome}"] = COUNTS.get(f"csv {outcome}", 0) + 1
    COUNTS["csv"] = COUNTS.get("csv", 0) + 1


def _xlsx_bytes(rows: list[list[str]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append([cell.replace("\x00", "") for cell in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@FUZZ
@given(rows=ROWS, cut=st.none() | st.integers(0, 6000), flip=st.none() | st.integers(0, 6000))
def test_xlsx_import_is_all_or_nothing(db, rows, cut, flip):
    try:
        data = _xlsx_bytes(rows)
    except Exception:  # openpyxl refuses some control characters: not the importer's concern
        return
    if flip is not None and flip < len(data):
        data = data[:flip] + bytes([data[flip] ^ 0xFF]) + data[flip + 1:]
    if cut is not None:
        data = data[:cut]
    outcome = _import_all_or_nothing(db, "fuzz.xlsx", data)
    COUNTS[f"xlsx {outcome}"] = COUNTS.get(f"xlsx {outcome}", 0) + 1
    COUNTS["xlsx"] = COUNTS.get("xlsx", 0) + 1


def test_damaged_workbook_is_a_clear_refusal_not_a_crash():
    """Found by the fuzzing above: a flipped byte inside a member made zipfile raise BadZipFile or
    zlib.error out of the upload (a 500). Every damaged byte must give ImportFileError or a parse."""
    good = _xlsx_bytes([["N1", "钱新", "", "", "客服专员", "2024-01-01", "学员"]])
    refused = 0
    for offset in range(0, min(len(good), 1500), 3):
        damaged = good[:offset] + bytes([good[offset] ^ 0xFF]) + good[offset + 1:]
        try:
            read_upload("damaged.xlsx", damaged)
        except ImportFileError:
            refused += 1
    assert refused > 0


def _phrases(spec: dict) -> list[str]:
    found: list[str] = []

    def walk(value):
        if isinstance(value, str) and 0 < len(value) <= 30:
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(spec)
    return found or ["您好"]


@FUZZ
@given(data=st.data())
def test_rubric_graders_are_deterministic_and_in_range(db, synced, data):
    exercises = db.session.scalars(select(ComplaintExercise)).all()
    prompts = db.session.scalars(select(LanguagePrompt)).all()
    exercise = data.draw(st.sampled_from(exercises))
    prompt = data.draw(st.sampled_from(prompts))
    pieces = st.lists(st.one_of(st.sampled_from(_phrases(exercise.spec) + _phrases(prompt.spec)), st.text(max_size=8)),
                      max_size=8).map("，".join)
    answers = {code: data.draw(pieces) for code in list(exercise.spec["fields"]) + list(exercise.spec["rules"])}
    if data.draw(st.booleans()):
        answers.pop(data.draw(st.sampled_from(sorted(answers))), None)  # a field missing altogether
    first, second = grade_complaint(exercise.spec, answers), grade_complaint(exercise.spec, dict(answers))
    assert first == second and 0 <= first["score"] <= 100
    text = data.draw(pieces)
    first, second = grade_answer(prompt.spec, text), grade_answer(prompt.spec, text)
    assert first == second and 0 <= first["score"] <= 100
    COUNTS["graders"] = COUNTS.get("graders", 0) + 1


def test_zz_report_fuzz_counts():
    """Runs last in this file: prints how many examples each property ran."""
    print(f"\nfuzz cases run: {dict(sorted(COUNTS.items()))}")
