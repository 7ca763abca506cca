"""quizzes: question flags (HR's "flag for review" from item analysis)

Revision ID: 0008
Revises: 0007

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('question_flag',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.String(length=64), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('flagged_by_id', sa.Integer(), nullable=True),
    sa.Column('flagged_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['flagged_by_id'], ['employee.id'], name=op.f('fk_question_flag_flagged_by_id_employee')),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_question_flag_question_id_question')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question_flag')),
    sa.UniqueConstraint('question_id', name=op.f('uq_question_flag_question_id'))
    )
    with op.batch_alter_table('question_flag', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_flag_flagged_by_id'), ['flagged_by_id'], unique=False)


def downgrade():
    with op.batch_alter_table('question_flag', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_flag_flagged_by_id'))

    op.drop_table('question_flag')
