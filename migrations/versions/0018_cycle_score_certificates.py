"""appraisal snapshots keep the certificates as at the close: appraisal_cycle_score.certificate_status
and certificate_expires_on (what a closed cycle's export prints as 证书状态 and 证书到期日)

Revision ID: i16c_cycle_score_certs
Revises: i15c_quiz_cycle_rm

Backfill: the current rows of cycles closed before this revision get the status their employees'
certificates had at that close, worked out from the certificate dates (issued, superseded, revoked at
or before the cycle's ``closed_at``; expired before the close's ``as_of`` day, kept in the row's
inputs), by the same rule as ``certificates.queries.export_summary``. Rows of superseded closes (whose
close time is no longer recorded) stay null, as do employees without a certificate then.
"""
import datetime as dt
import json

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i16c_cycle_score_certs'
down_revision = 'i15c_quiz_cycle_rm'
branch_labels = None
depends_on = None

BATCH = 1000

cycle_t = sa.table('appraisal_cycle', sa.column('id', sa.Integer), sa.column('state', sa.String),
                   sa.column('closed_at', sa.DateTime))
score_t = sa.table('appraisal_cycle_score', sa.column('id', sa.Integer), sa.column('cycle_id', sa.Integer),
                   sa.column('employee_id', sa.Integer), sa.column('superseded', sa.Boolean),
                   sa.column('inputs', sa.JSON), sa.column('certificate_status', sa.String),
                   sa.column('certificate_expires_on', sa.Date))
cert_t = sa.table('certificate', sa.column('employee_id', sa.Integer), sa.column('issued_at', sa.DateTime),
                  sa.column('expires_on', sa.Date), sa.column('superseded_at', sa.DateTime),
                  sa.column('revoked_at', sa.DateTime))


def status_at(certs, moment: dt.datetime, day: dt.date):
    """(worst status, earliest unrevoked expiry) of the certificates held at ``moment`` (None, None: none)."""
    held = [c for c in certs if c.issued_at <= moment and (c.superseded_at is None or c.superseded_at > moment)]
    if not held:
        return None, None
    rank = {'valid': 1, 'revoked': 2, 'expired': 3}
    statuses = ['revoked' if c.revoked_at is not None and c.revoked_at <= moment
                else 'expired' if c.expires_on < day else 'valid' for c in held]
    unrevoked = [c.expires_on for c, s in zip(held, statuses) if s != 'revoked']
    return max(statuses, key=rank.get), (min(unrevoked) if unrevoked else None)


def _as_of(inputs, closed_at: dt.datetime) -> dt.date:
    if isinstance(inputs, str):
        inputs = json.loads(inputs)
    try:
        return dt.date.fromisoformat((inputs or {}).get('as_of'))
    except (TypeError, ValueError):
        return closed_at.date()


def backfill(conn) -> int:
    closed = conn.execute(sa.select(cycle_t.c.id, cycle_t.c.closed_at)
                          .where(cycle_t.c.state == 'closed', cycle_t.c.closed_at.is_not(None))).all()
    certs_of: dict[int, list] = {}
    for cert in conn.execute(sa.select(cert_t)):
        certs_of.setdefault(cert.employee_id, []).append(cert)
    if not certs_of:
        return 0
    update = (sa.update(score_t).where(score_t.c.id == sa.bindparam('row_id'))
              .values(certificate_status=sa.bindparam('status'), certificate_expires_on=sa.bindparam('expires')))
    written = 0
    for cycle_id, closed_at in closed:
        rows = conn.execute(sa.select(score_t.c.id, score_t.c.employee_id, score_t.c.inputs)
                            .where(score_t.c.cycle_id == cycle_id, score_t.c.superseded.is_(False),
                                   score_t.c.employee_id.in_(list(certs_of)))).all()
        values = []
        for row in rows:
            status, expires = status_at(certs_of[row.employee_id], closed_at, _as_of(row.inputs, closed_at))
            if status is not None:
                values.append({'row_id': row.id, 'status': status, 'expires': expires})
        for start in range(0, len(values), BATCH):
            conn.execute(update, values[start:start + BATCH])
        written += len(values)
    return written


def upgrade():
    with op.batch_alter_table('appraisal_cycle_score', schema=None) as batch_op:
        batch_op.add_column(sa.Column('certificate_status', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('certificate_expires_on', sa.Date(), nullable=True))
    backfill(op.get_bind())


def downgrade():
    with op.batch_alter_table('appraisal_cycle_score', schema=None) as batch_op:
        batch_op.drop_column('certificate_expires_on')
        batch_op.drop_column('certificate_status')
