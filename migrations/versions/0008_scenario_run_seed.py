"""scenario runs: the seed that shuffles the order of choices

Revision ID: i14a_run_seed
Revises: 0007

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i14a_run_seed'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('scenario_run', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seed', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('scenario_run', schema=None) as batch_op:
        batch_op.drop_column('seed')
