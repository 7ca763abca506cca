"""covering indexes for the team dashboard's 180-day window over the training read models

Revision ID: i15e_training_window_ix
Revises: i15d_live_department

employee_clause_misses and employee_topic_points are keyed (employee, clause|lesson, day): a team's
read (its members, day >= since) walked every day of their history. An index on (employee, day, …)
holding the summed columns answers it from the index alone, within the window.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'i15e_training_window_ix'
down_revision = 'i15d_live_department'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_employee_clause_misses_window', 'employee_clause_misses',
                    ['employee_id', 'day', 'clause_id', 'n'], unique=False)
    op.create_index('ix_employee_topic_points_window', 'employee_topic_points',
                    ['employee_id', 'day', 'lesson_id', 'points', 'answers'], unique=False)


def downgrade():
    op.drop_index('ix_employee_topic_points_window', table_name='employee_topic_points')
    op.drop_index('ix_employee_clause_misses_window', table_name='employee_clause_misses')
