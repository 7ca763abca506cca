"""attempt windows: a new assignment or a supervisor's reset gives a fresh set of attempts

Revision ID: i17b_attempt_windows
Revises: i15_jobs

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i17b_attempt_windows'
down_revision = 'i15_jobs'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('attempt_window',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('activity_id', sa.String(length=64), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_attempt_window_employee_id_employee')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['employee.id'], name=op.f('fk_attempt_window_opened_by_id_employee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attempt_window'))
    )
    with op.batch_alter_table('attempt_window', schema=None) as batch_op:
        batch_op.create_index('ix_attempt_window_lookup', ['employee_id', 'kind', 'activity_id', 'opened_at'],
                              unique=False)
    # Assignments made before this revision open no window: their earlier attempts keep counting,
    # exactly as before (no backfill, so no limit changes under anyone's feet on upgrade).


def downgrade():
    with op.batch_alter_table('attempt_window', schema=None) as batch_op:
        batch_op.drop_index('ix_attempt_window_lookup')
    op.drop_table('attempt_window')
