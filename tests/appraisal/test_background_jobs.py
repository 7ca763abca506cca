"""Background jobs end to end: closing a cycle, big exports and imports as jobs, on both backends.

In-process (the embedded default) with JOBS_WAIT, so the job has finished when the request
that queued it returns; RQ against the Redis at 127.0.0.1:6379 (db 5, a queue of its own), run
by rq's SimpleWorker in this process. Idempotency and a worker dying mid-way: no duplicate rows.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from sqlalchemy import func, select

from app.appraisal import snapshots
from app.appraisal.jobs import enqueue_close
from app.appraisal.models import Cycle, CycleScore
from app.audit.models import AuditEvent
from app.jobs import registry, service
from app.jobs.models import Job

AS_OF = dt.date(2026, 10, 15)


def _scores(db, cycle_id: int) -> list[CycleScore]:
    return list(db.session.scalars(select(CycleScore).where(CycleScore.cycle_id == cycle_id)))


def _job_id(response) -> int:
    assert response.status_code == 302 and "/jobs/" in response.headers["Location"], response.headers
    return int(response.headers["Location"].rsplit("/", 1)[1])


@pytest.fixture()
def open_cycle(scored_org, make_cycle, time_machine):
    time_machine.move_to(dt.datetime(2026, 10, 15, 4, 0), tick=True)
    return make_cycle(name="2026年下半年")


#: the open cycle ends after the test's day: closing it early needs the confirmation box
EARLY = {"early": "y"}


def test_close_in_process_job_reports_progress_and_result(client, login_as, open_cycle, db, app, monkeypatch):
    monkeypatch.setitem(app.config, "JOBS_WAIT", False)  # as in production: the request answers at once
    monkeypatch.setattr(snapshots, "CLOSE_BATCH", 2)
    seen = []
    real_report = registry.JobContext.report

    def spy(self, percent, message=""):
        seen.append((int(percent), message))
        return real_report(self, percent, message)

    monkeypatch.setattr(registry.JobContext, "report", spy)
    hr = login_as("hr")
    job_id = _job_id(client.post(f"/appraisal/{open_cycle.id}/close", data=EARLY))
    service.wait_for_threads()
    status = client.get(f"/jobs/{job_id}.json")
    assert status.status_code == 200 and status.headers["Cache-Control"] == "no-store"
    assert status.json["state"] == "done" and status.json["progress"] == 100 and status.json["finished"]
    job = db.session.get(Job, job_id)
    assert job.created_by_id == hr.id and job.attempts == 1 and job.started_at and job.finished_at
    rows = _scores(db, open_cycle.id)
    assert job.result == {"cycle_id": open_cycle.id, "rows": len(rows), "version": 1} and len(rows) == 5
    # progress went up in steps: 2 % before the work, then after each batch of 2 employees
    assert [p for p, _m in seen] == sorted(p for p, _m in seen) and len(seen) >= 3
    cycle = db.session.get(Cycle, open_cycle.id)
    assert not cycle.is_open and cycle.closed_by_id == hr.id and cycle.closed_as_of == AS_OF
    page = client.get(f"/jobs/{job_id}")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and 'value="100"' in body and f'href="/appraisal/{open_cycle.id}"' in body
    assert "job_progress." not in body and "http-equiv" not in body  # finished: no more polling


def test_running_job_page_polls_and_refreshes_without_js(client, login_as, db, app):
    user = login_as("hr")
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    job = Job(kind="appraisal.close", key="manual", params={}, state="running", progress=40, message="半程",
              error="", attempts=1, created_by_id=user.id, created_at=now, updated_at=now)
    db.session.add(job)
    db.session.commit()
    body = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert 'value="40"' in body and "半程" in body
    script = re.search(r'src="(/static/js/job_progress\.[0-9a-f]{12}\.js)"', body)  # fingerprinted (app/ui/assets.py)
    assert script and '<noscript><meta http-equiv="refresh"' in body
    assert f'data-status-url="/jobs/{job.id}.json"' in body
    assert client.get(script.group(1)).status_code == 200


def test_same_key_twice_is_one_job_and_one_snapshot(client, login_as, open_cycle, db):
    hr = login_as("hr")
    first = enqueue_close(open_cycle, actor_id=hr.id)
    second = enqueue_close(open_cycle, actor_id=hr.id)  # a double submit before the commit
    assert first is second
    db.session.commit()  # dispatched now (and, with JOBS_WAIT, finished)
    # the same key once done: the same job, not run again
    again = service.enqueue("appraisal.close", dict(first.params), key=first.key, actor=hr.id)
    db.session.commit()
    assert again.id == first.id and db.session.scalar(select(func.count(Job.id))) == 1
    rows = _scores(db, open_cycle.id)
    assert len(rows) == 5 and {r.version for r in rows} == {1}
    # the page's second POST finds the cycle closed and changes nothing
    response = client.post(f"/appraisal/{open_cycle.id}/close", data=EARLY)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/appraisal/{open_cycle.id}")
    assert len(_scores(db, open_cycle.id)) == 5 and db.session.scalar(select(func.count(Job.id))) == 1


def test_worker_dying_mid_close_then_rerun_leaves_no_duplicates(client, login_as, open_cycle, db, monkeypatch):
    monkeypatch.setattr(snapshots, "CLOSE_BATCH", 2)
    real_report = registry.JobContext.report
    crashes = []

    def dies_after_some_progress(self, percent, message=""):
        real_report(self, percent, message)
        if percent > 5 and not crashes:  # after the first batch was inserted
            crashes.append(int(percent))
            raise RuntimeError("worker killed")
        return True

    monkeypatch.setattr(registry.JobContext, "report", dies_after_some_progress)
    login_as("hr")
    job_id = _job_id(client.post(f"/appraisal/{open_cycle.id}/close", data=EARLY))
    job = db.session.get(Job, job_id)
    assert crashes and job.state == "failed" and "worker killed" in job.error
    # PostgreSQL took the progress of the first batch while the close's transaction was open;
    # SQLite (one writer) only the report made before the work began
    assert job.progress == (crashes[0] if db.engine.dialect.name == "postgresql" else 2)
    assert _scores(db, open_cycle.id) == [] and db.session.get(Cycle, open_cycle.id).is_open  # all rolled back
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "worker killed" in page and f'action="/jobs/{job_id}/retry"' in page
    # run it again (the same key re-runs a failed job from the start)
    assert _job_id(client.post(f"/appraisal/{open_cycle.id}/close", data=EARLY)) == job_id
    db.session.expire_all()
    job = db.session.get(Job, job_id)
    assert job.state == "done" and job.attempts == 2 and job.error == ""
    rows = _scores(db, open_cycle.id)
    assert len(rows) == 5 and len({r.employee_id for r in rows}) == 5 and {r.version for r in rows} == {1}
    # a worker that picks the same job up once more (a redelivery) re-runs it from the start: skipped
    job.state = "queued"
    db.session.commit()
    assert service.run_job(job_id) == "done"
    db.session.expire_all()
    assert db.session.get(Job, job_id).result["skipped"] is True and len(_scores(db, open_cycle.id)) == 5
    assert service.run_job(job_id) is None  # done: not ours to run
    closes = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "appraisal.cycle_close")).all()
    assert len(closes) == 1


def test_stale_running_job_is_run_again(client, login_as, open_cycle, db, app):
    hr = login_as("hr")
    long_ago = dt.datetime(2026, 10, 1)
    job = Job(kind="appraisal.close", key=f"cycle:{open_cycle.id}:v1",
              params={"cycle_id": open_cycle.id, "version": 1, "as_of": AS_OF.isoformat()}, state="running",
              progress=30, message="", error="", attempts=1, created_by_id=hr.id, created_at=long_ago,
              updated_at=long_ago)
    db.session.add(job)
    db.session.commit()
    assert "retry" in client.get(f"/jobs/{job.id}").get_data(as_text=True)  # lost worker: offer a re-run
    assert client.post(f"/jobs/{job.id}/retry").status_code == 302
    db.session.expire_all()
    assert db.session.get(Job, job.id).state == "done" and len(_scores(db, open_cycle.id)) == 5
    assert client.post(f"/jobs/{job.id}/retry").status_code == 302  # done: nothing to retry
    assert db.session.get(Job, job.id).attempts == 2


def test_job_page_is_for_its_owner_and_hr_only(client, login_as, open_cycle, db):
    login_as("hr")
    job_id = _job_id(client.post(f"/appraisal/{open_cycle.id}/close", data=EARLY))
    client.post("/logout")
    login_as("trainee")
    for url in (f"/jobs/{job_id}", f"/jobs/{job_id}.json", f"/jobs/{job_id}/download"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/jobs/{job_id}/retry").status_code == 404
    client.post("/logout")
    login_as("admin")
    assert client.get(f"/jobs/{job_id}").status_code == 200
    client.post("/logout")
    assert client.get(f"/jobs/{job_id}").status_code == 302  # anonymous: to the login page


def test_big_export_is_a_job_with_an_audited_download(client, login_as, open_cycle, db, app, monkeypatch):
    hr = login_as("hr")
    client.post(f"/appraisal/{open_cycle.id}/close", data=EARLY)
    streamed = client.get(f"/appraisal/{open_cycle.id}/export.csv", buffered=True)
    assert streamed.status_code == 200  # below EXPORT_JOB_ROWS: streamed at once, as before
    monkeypatch.setitem(app.config, "EXPORT_JOB_ROWS", 3)
    job_id = _job_id(client.get(f"/appraisal/{open_cycle.id}/export.csv"))
    job = db.session.get(Job, job_id)
    assert job.state == "done" and job.result["file"].startswith(f"job-{job_id}-")
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert f'href="/jobs/{job_id}/download"' in page
    download = client.get(f"/jobs/{job_id}/download", buffered=True)
    assert download.status_code == 200 and download.mimetype == "text/csv"
    assert download.get_data() == streamed.get_data()  # the same bytes as the streamed download
    assert "filename*=UTF-8''" in download.headers["Content-Disposition"]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "jobs.download"))
    assert event.actor_id == hr.id and event.target == f"job:{job_id}"
    exports = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "appraisal.export")).all()
    assert [e.details["via"] for e in exports] == ["web", "job"]
    # the same click within the minute finds the same job
    assert _job_id(client.get(f"/appraisal/{open_cycle.id}/export.csv")) == job_id


def test_jobs_list_cli(runner, client, login_as, open_cycle, db):
    login_as("hr")
    job_id = _job_id(client.post(f"/appraisal/{open_cycle.id}/close", data=EARLY))
    out = runner.invoke(args=["jobs", "list"])
    assert out.exit_code == 0 and f"{job_id:>6}  appraisal.close" in out.output and "done" in out.output
    assert "no jobs" in runner.invoke(args=["jobs", "list", "--state", "failed"]).output


def test_unreachable_queue_fails_the_job_visibly(client, login_as, open_cycle, db, app, monkeypatch):
    monkeypatch.setitem(app.config, "JOBS_BACKEND", "rq")
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")  # nothing listens there
    login_as("hr")
    job_id = _job_id(client.post(f"/appraisal/{open_cycle.id}/close", data=EARLY))
    job = db.session.get(Job, job_id)
    assert job.state == "failed" and "job queue" in job.error
    assert db.session.get(Cycle, open_cycle.id).is_open


@pytest.fixture()
def rq_app(app, monkeypatch):
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/5"
    connection = redis.Redis.from_url(url)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379 (.ci/run starts one)")
    name = f"academy-test-{uuid.uuid4().hex[:8]}"
    monkeypatch.setitem(app.config, "JOBS_BACKEND", "rq")
    monkeypatch.setitem(app.config, "REDIS_URL", url)
    monkeypatch.setitem(app.config, "JOBS_QUEUE", name)
    yield connection, name
    for key in connection.scan_iter(f"rq:*{name}*"):
        connection.delete(key)


def test_rq_worker_runs_the_close(client, login_as, open_cycle, db, rq_app):
    from rq import Queue, SimpleWorker

    connection, name = rq_app
    login_as("hr")
    job_id = _job_id(client.post(f"/appraisal/{open_cycle.id}/close", data=EARLY))
    queue = Queue(name, connection=connection)
    assert queue.count == 1 and db.session.get(Job, job_id).state == "queued"  # pushed, not run here
    assert db.session.get(Cycle, open_cycle.id).is_open
    assert client.get(f"/jobs/{job_id}.json").json["state"] == "queued"
    SimpleWorker([queue], connection=connection).work(burst=True)
    db.session.expire_all()
    assert queue.count == 0
    job = db.session.get(Job, job_id)
    assert job.state == "done" and job.result["rows"] == 5 and len(_scores(db, open_cycle.id)) == 5
    assert not db.session.get(Cycle, open_cycle.id).is_open
    # pushed twice (a redelivery after a worker restart): the second run changes nothing
    service.dispatch(client.application, job_id)
    SimpleWorker([queue], connection=connection).work(burst=True)
    assert len(_scores(db, open_cycle.id)) == 5 and db.session.scalar(select(func.count(Job.id))) == 1


def test_rq_worker_runs_a_big_export(client, login_as, open_cycle, db, app, rq_app, monkeypatch):
    from rq import Queue, SimpleWorker

    connection, name = rq_app
    login_as("hr")
    monkeypatch.setitem(app.config, "JOBS_BACKEND", "thread")
    client.post(f"/appraisal/{open_cycle.id}/close", data=EARLY)
    monkeypatch.setitem(app.config, "JOBS_BACKEND", "rq")
    monkeypatch.setitem(app.config, "EXPORT_JOB_ROWS", 0)
    job_id = _job_id(client.get(f"/appraisal/{open_cycle.id}/export.xlsx"))
    SimpleWorker([Queue(name, connection=connection)], connection=connection).work(burst=True)
    download = client.get(f"/jobs/{job_id}/download", buffered=True)
    assert download.status_code == 200 and download.get_data()[:2] == b"PK"  # an XLSX (zip) file


# --- a big cycle's live scores after an edit: recomputed by a job --------------------------------

EDIT = {"name": "2026年下半年", "starts_on": "2026-07-01", "ends_on": "2026-12-31", "weight_theory": "20",
        "weight_practice": "20", "weight_observation": "60", "band_excellent": "90", "band_good": "80",
        "band_pass": "60", "policy": "best", "scope": "company"}


def test_editing_a_big_cycle_recomputes_its_live_scores_in_a_job(client, login_as, open_cycle, db, app, monkeypatch):
    from app.appraisal import live

    monkeypatch.setitem(app.config, "JOBS_WAIT", False)  # as in production: the request answers at once
    monkeypatch.setitem(app.config, "CYCLE_RECOMPUTE_JOB_ROWS", 2)  # the fixture's 5 employees: "big"
    hr = login_as("hr")
    before = live.snapshot()
    assert before  # the fixture's open cycle has live rows
    started = threading_event(monkeypatch)
    response = client.post(f"/appraisal/{open_cycle.id}/edit", data=EDIT)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/appraisal/{open_cycle.id}")
    job = db.session.scalar(select(Job).where(Job.kind == "appraisal.recompute"))
    assert job is not None and job.created_by_id == hr.id and job.params == {"cycle_id": open_cycle.id}
    # while the job has not run: the overview says the figures are the previous settings'
    page = client.get(f"/appraisal/{open_cycle.id}").get_data(as_text=True)
    assert 'id="recompute-pending"' in page and f'href="/jobs/{job.id}"' in page
    assert live.snapshot() == before  # the request itself rewrote nothing
    # an export asked for meanwhile goes through a job, which recomputes first
    export = client.get(f"/appraisal/{open_cycle.id}/export.csv")
    assert export.status_code == 302 and "/jobs/" in export.headers["Location"]
    started.set()
    service.wait_for_threads()
    db.session.expire_all()
    assert db.session.get(Job, job.id).state == "done"
    assert db.session.get(Job, job.id).result == {"cycle_id": open_cycle.id, "rows": len(before)}
    after = live.snapshot()
    assert after != before  # the new weights give new totals
    live.rebuild()  # what a recompute from scratch gives: the same rows
    db.session.flush()
    assert live.snapshot() == after
    db.session.rollback()
    page = client.get(f"/appraisal/{open_cycle.id}").get_data(as_text=True)
    assert 'id="recompute-pending"' not in page
    job_page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert f"实时成绩已重新计算：{len(before)} 名员工" in job_page and f'href="/appraisal/{open_cycle.id}"' in job_page


def test_a_small_cycle_is_still_recomputed_inside_the_request(client, login_as, open_cycle, db, app):
    from app.appraisal import live

    login_as("hr")
    before = live.snapshot()
    assert client.post(f"/appraisal/{open_cycle.id}/edit", data=EDIT).status_code == 302
    assert db.session.scalar(select(func.count(Job.id))) == 0
    assert live.snapshot() != before
    assert 'id="recompute-pending"' not in client.get(f"/appraisal/{open_cycle.id}").get_data(as_text=True)


def threading_event(monkeypatch):
    """Hold the in-process job runner until the test has looked at the pending state."""
    import threading

    gate = threading.Event()
    real = service.run_job

    def held(job_id):
        gate.wait(30)
        return real(job_id)

    monkeypatch.setattr(service, "run_job", held)
    return gate
