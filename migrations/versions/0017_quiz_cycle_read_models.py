"""read models: item-analysis counters (quiz_item_stat, quiz_answer_stat, quiz_attempt_stat) and
the live scores of open appraisal cycles (appraisal_live_score)

Revision ID: i15c_quiz_cycle_rm
Revises: i15b_training_rm

The tables start empty: run ``flask readmodels rebuild`` once after upgrading an existing database.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i15c_quiz_cycle_rm'
down_revision = 'i15b_training_rm'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('quiz_item_stat',
    sa.Column('quiz_id', sa.String(length=64), nullable=False),
    sa.Column('question_id', sa.String(length=64), nullable=False),
    sa.Column('n', sa.BigInteger(), nullable=False),
    sa.Column('answered', sa.BigInteger(), nullable=False),
    sa.Column('unanswered', sa.BigInteger(), nullable=False),
    sa.Column('sx', sa.BigInteger(), nullable=False),
    sa.Column('sy', sa.BigInteger(), nullable=False),
    sa.Column('sxy', sa.BigInteger(), nullable=False),
    sa.Column('sxx', sa.BigInteger(), nullable=False),
    sa.Column('syy', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_quiz_item_stat_question_id_question')),
    sa.ForeignKeyConstraint(['quiz_id'], ['quiz.id'], name=op.f('fk_quiz_item_stat_quiz_id_quiz')),
    sa.PrimaryKeyConstraint('quiz_id', 'question_id', name=op.f('pk_quiz_item_stat'))
    )
    op.create_table('quiz_answer_stat',
    sa.Column('quiz_id', sa.String(length=64), nullable=False),
    sa.Column('question_id', sa.String(length=64), nullable=False),
    sa.Column('answer_key', sa.String(length=128), nullable=False),
    sa.Column('n', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_quiz_answer_stat_question_id_question')),
    sa.ForeignKeyConstraint(['quiz_id'], ['quiz.id'], name=op.f('fk_quiz_answer_stat_quiz_id_quiz')),
    sa.PrimaryKeyConstraint('quiz_id', 'question_id', 'answer_key', name=op.f('pk_quiz_answer_stat'))
    )
    op.create_table('quiz_attempt_stat',
    sa.Column('quiz_id', sa.String(length=64), nullable=False),
    sa.Column('attempts', sa.BigInteger(), nullable=False),
    sa.Column('score_sum', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['quiz_id'], ['quiz.id'], name=op.f('fk_quiz_attempt_stat_quiz_id_quiz')),
    sa.PrimaryKeyConstraint('quiz_id', name=op.f('pk_quiz_attempt_stat'))
    )
    op.create_table('appraisal_live_score',
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('theory', sa.Float(), nullable=True),
    sa.Column('practice', sa.Float(), nullable=True),
    sa.Column('observation', sa.Float(), nullable=True),
    sa.Column('computed_total', sa.Float(), nullable=True),
    sa.Column('completion', sa.Float(), nullable=True),
    sa.Column('assigned', sa.Integer(), nullable=False),
    sa.Column('completed', sa.Integer(), nullable=False),
    sa.Column('overdue', sa.Integer(), nullable=False),
    sa.Column('computed_on', sa.Date(), nullable=False),
    sa.Column('valid_through', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['cycle_id'], ['appraisal_cycle.id'], name=op.f('fk_appraisal_live_score_cycle_id_appraisal_cycle'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_appraisal_live_score_employee_id_employee')),
    sa.PrimaryKeyConstraint('cycle_id', 'employee_id', name=op.f('pk_appraisal_live_score'))
    )
    with op.batch_alter_table('appraisal_live_score', schema=None) as batch_op:
        batch_op.create_index('ix_appraisal_live_score_valid', ['cycle_id', 'valid_through'], unique=False)


def downgrade():
    with op.batch_alter_table('appraisal_live_score', schema=None) as batch_op:
        batch_op.drop_index('ix_appraisal_live_score_valid')
    op.drop_table('appraisal_live_score')
    op.drop_table('quiz_attempt_stat')
    op.drop_table('quiz_answer_stat')
    op.drop_table('quiz_item_stat')
