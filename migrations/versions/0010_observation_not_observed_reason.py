"""observation marks: why an item was not observed

Revision ID: i14b_not_observed_reason
Revises: i14a_run_seed

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i14b_not_observed_reason'
down_revision = 'i14a_run_seed'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('observation_mark', schema=None) as batch_op:
        batch_op.add_column(sa.Column('not_observed_reason', sa.String(length=32), server_default='',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('observation_mark', schema=None) as batch_op:
        batch_op.drop_column('not_observed_reason')
