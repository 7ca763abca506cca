"""Issue 17 item 7: the HR breakdown names activities by their titles, not their keys."""

import datetime as dt
import re


def test_employee_breakdown_shows_activity_titles_with_the_key_secondary(
        client, login_as, synced, make_employee, make_cycle, assign, result, time_machine):
    time_machine.move_to(dt.datetime(2026, 10, 15, 4, 0, tzinfo=dt.UTC), tick=False)
    trainee = make_employee(employee_no="T900", name="钱学员")
    assign(trainee, "quiz", "new-hire-final", dt.date(2026, 8, 1))
    assign(trainee, "language", "close-call", dt.date(2026, 8, 1))
    result(trainee, "quiz", "new-hire-final", 85, dt.datetime(2026, 8, 2, 2, 0))
    cycle = make_cycle()
    login_as("hr")
    response = client.get(f"/appraisal/{cycle.id}/employees/{trainee.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "新员工入职结业测验" in page and "结束通话" in page
    # the key is still there, but only as the small secondary line
    assert re.search(r'<td class="text-wrap">\s*新员工入职结业测验', page)
    assert '<code class="small text-muted" data-activity-id>new-hire-final</code>' in page
