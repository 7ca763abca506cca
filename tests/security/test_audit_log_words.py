"""Issue 17 item 7: the audit log reads as sentences with names; the codes stay, small."""

from app.audit.services import record_event
from app.people.models import Role


def test_audit_log_describes_events_with_names(client, db, login_as, make_employee):
    admin = login_as(Role.ADMIN)
    demoted = make_employee(employee_no="T777", name="周被改", role="trainee")
    record_event("auth.login", actor_id=admin.id, target=f"employee:{admin.id}", ip="10.0.0.1")
    record_event("people.role_change", actor_id=admin.id, target=f"employee:{demoted.id}",
                 details={"from": "admin", "to": "trainee"})
    record_event("people.deactivate", actor_id=admin.id, target=f"employee:{demoted.id}")
    record_event("something.new", actor_id=admin.id, target="thing:9")
    db.session.commit()
    response = client.get("/admin/audit")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    me = f"{admin.name} ({admin.employee_no})"
    assert f"{me} 登录" in page
    assert f"{me} 将 周被改 (T777) 的角色从“管理员”改为“学员”" in page
    assert f"{me} 停用了 周被改 (T777) 的账号" in page
    # an unknown action falls back to its code; the codes stay available, small
    assert '<td class="audit-text">something.new' in page
    assert '<code class="text-muted" data-action>people.role_change</code>' in page
    # the filter offers names, keeps the codes as values
    assert '<option value="people.role_change">角色变更</option>' in page
    # the English interface gets English sentences
    client.get("/lang/en")
    english = client.get("/admin/audit").get_data(as_text=True)
    assert f"{me} changed the role of 周被改 (T777) from Administrator to Trainee" in english
