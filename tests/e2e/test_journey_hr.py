"""Journey 3, HR: close the open appraisal cycle, download its CSV and XLSX and read both files."""

from __future__ import annotations

import csv
import re

import openpyxl
from playwright.sync_api import expect

HEADERS = ["工号", "姓名", "部门", "班组", "岗位", "直属上级", "理论成绩", "实操成绩", "观察成绩", "总分", "等级"]


def test_hr_closes_a_cycle_and_exports_it(browser, live_server, log_in, shot, tmp_path):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, "H001")
    expect(page).not_to_have_url(re.compile(r"/login"))

    # 1. the open cycle, from the list
    page.goto(live_server.url + "/appraisal/")
    shot(page, "hr_01_cycles")
    open_row = page.locator("tr:has-text('进行中'), .list-group-item:has-text('进行中')").first
    open_row.locator("a[href^='/appraisal/']").first.click()
    expect(page).to_have_url(re.compile(r"/appraisal/\d+$"))
    cycle_url = page.url
    close_button = page.locator("form[action$='/close'] button[type=submit]")
    expect(close_button).to_be_visible()
    shot(page, "hr_02_open_cycle")

    # 2. close it (before its end date: the confirmation box first): a background job, whose page
    #    shows a progress bar, then a link back
    early = page.locator("#close-early")
    if early.count():
        early.check()
    close_button.click()
    expect(page).to_have_url(re.compile(r"/jobs/\d+$"))
    cycle_path = "/appraisal/" + cycle_url.rsplit("/", 1)[1]
    back = page.locator(f"main a.btn[href='{cycle_path}']")
    expect(back).to_be_visible()
    shot(page, "hr_03a_close_job_done")
    back.click()
    expect(page).to_have_url(re.compile(re.escape(cycle_url)))
    expect(page.locator("form[action$='/close']")).to_have_count(0)
    expect(page.locator("form[action$='/reopen']")).to_be_visible()
    shot(page, "hr_03_closed_cycle")

    # 3. download both files
    files = {}
    for fmt in ("csv", "xlsx"):
        with page.expect_download() as info:
            page.locator(f"button[formaction$='/export.{fmt}']").click()
        download = info.value
        assert download.suggested_filename.endswith("." + fmt)
        files[fmt] = tmp_path / f"export.{fmt}"
        download.save_as(files[fmt])

    with open(files["csv"], encoding="utf-8-sig", newline="") as fh:
        csv_rows = list(csv.reader(fh))
    assert csv_rows[0][: len(HEADERS)] == HEADERS
    by_no = {row[0]: row for row in csv_rows[1:]}
    assert by_no["T001"][1:4] == ["陈小雨", "客服部", "前台一班"]
    assert by_no["T001"][5] == "孙主管"

    workbook = openpyxl.load_workbook(files["xlsx"], read_only=True)
    sheet = workbook.worksheets[0]
    xlsx_rows = [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    header_at = next(i for i, row in enumerate(xlsx_rows) if row and row[0] == "工号")
    assert list(xlsx_rows[header_at][: len(HEADERS)]) == HEADERS
    xlsx_by_no = {str(row[0]): row for row in xlsx_rows[header_at + 1:] if row and row[0]}
    assert list(xlsx_by_no["T001"][1:4]) == ["陈小雨", "客服部", "前台一班"]
    # the same people in both files
    assert set(xlsx_by_no) == set(by_no)
    context.close()
