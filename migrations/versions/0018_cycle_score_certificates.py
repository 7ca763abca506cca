"""appraisal snapshots keep the certificates as at the close: appraisal_cycle_score.certificate_status
and certificate_expires_on (what a closed cycle's export prints as 证书状态 and 证书到期日)

Revision ID: i16c_cycle_score_certs
Revises: i15c_quiz_cycle_rm

No backfill: the rows of closes made before this revision stay null, so those closed cycles' exports
show the two columns blank (the status at their close was never recorded) instead of today's.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i16c_cycle_score_certs'
down_revision = 'i15c_quiz_cycle_rm'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('appraisal_cycle_score', schema=None) as batch_op:
        batch_op.add_column(sa.Column('certificate_status', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('certificate_expires_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('appraisal_cycle_score', schema=None) as batch_op:
        batch_op.drop_column('certificate_expires_on')
        batch_op.drop_column('certificate_status')
