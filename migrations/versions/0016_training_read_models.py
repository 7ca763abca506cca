"""training read models: activity_status, employee_clause_misses, employee_topic_points

The tables are left empty here: ``flask readmodels rebuild`` (run by ``make run`` after the
upgrade, and by the ``readmodels.rebuild`` background job from the admin page) fills them from
the source tables; from then on every write keeps them up to date.

Revision ID: i15b_training_rm
Revises: i16a_certificates

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i15b_training_rm'
down_revision = 'i16a_certificates'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('activity_status',
    sa.Column('assignment_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('activity_kind', sa.String(length=16), nullable=False),
    sa.Column('activity_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('result_id', sa.Integer(), nullable=True),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.Column('started', sa.Boolean(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('best_score', sa.Float(), nullable=True),
    sa.Column('latest_score', sa.Float(), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('last_activity_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('assignment_id', name=op.f('pk_activity_status'))
    )
    with op.batch_alter_table('activity_status', schema=None) as batch_op:
        batch_op.create_index('ix_activity_status_employee_due', ['employee_id', 'due_date'], unique=False)

    op.create_table('employee_clause_misses',
    sa.Column('employee_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('clause_id', sa.String(length=128), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('employee_id', 'clause_id', 'day', name=op.f('pk_employee_clause_misses'))
    )
    op.create_table('employee_topic_points',
    sa.Column('employee_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('lesson_id', sa.String(length=64), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('points', sa.Float(), nullable=False),
    sa.Column('answers', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('employee_id', 'lesson_id', 'day', name=op.f('pk_employee_topic_points'))
    )


def downgrade():
    op.drop_table('employee_topic_points')
    op.drop_table('employee_clause_misses')
    with op.batch_alter_table('activity_status', schema=None) as batch_op:
        batch_op.drop_index('ix_activity_status_employee_due')
    op.drop_table('activity_status')
