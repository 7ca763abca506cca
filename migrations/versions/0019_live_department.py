"""read model: the department figures of open appraisal cycles (appraisal_live_department)

Revision ID: i15d_live_department
Revises: i16c_cycle_score_certs

One row per open cycle × department (``department_key`` 0: the employees without a department) with
the sums and counts the department comparison averages. The table starts empty: run
``flask readmodels rebuild --only cycle_live_departments`` once after upgrading an existing database.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i15d_live_department'
down_revision = 'i16c_cycle_score_certs'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('appraisal_live_department',
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('department_key', sa.Integer(), nullable=False),
    sa.Column('employees', sa.Integer(), nullable=False),
    sa.Column('theory_sum', sa.Float(), nullable=True),
    sa.Column('theory_n', sa.Integer(), nullable=False),
    sa.Column('practice_sum', sa.Float(), nullable=True),
    sa.Column('practice_n', sa.Integer(), nullable=False),
    sa.Column('observation_sum', sa.Float(), nullable=True),
    sa.Column('observation_n', sa.Integer(), nullable=False),
    sa.Column('total_sum', sa.Float(), nullable=True),
    sa.Column('total_n', sa.Integer(), nullable=False),
    sa.Column('completion_sum', sa.Float(), nullable=True),
    sa.Column('completion_n', sa.Integer(), nullable=False),
    sa.Column('overdue', sa.Integer(), nullable=False),
    sa.Column('band_excellent', sa.Integer(), nullable=False),
    sa.Column('band_good', sa.Integer(), nullable=False),
    sa.Column('band_pass', sa.Integer(), nullable=False),
    sa.Column('band_fail', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cycle_id'], ['appraisal_cycle.id'], name=op.f('fk_appraisal_live_department_cycle_id_appraisal_cycle'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cycle_id', 'department_key', name=op.f('pk_appraisal_live_department'))
    )


def downgrade():
    op.drop_table('appraisal_live_department')
