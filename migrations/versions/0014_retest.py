"""retest: change sets of a content sync, the clause's normalised text hash, refresher rows

Revision ID: i16b_retest
Revises: i17b_attempt_windows

``clause.text_hash`` starts NULL: the next ``flask content sync`` fills it from the stored text
(before comparing), so an upgraded catalog needs no data migration.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i16b_retest'
down_revision = 'i17b_attempt_windows'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('content_change_set',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('synced_at', sa.DateTime(), nullable=False),
    sa.Column('content_version', sa.String(length=64), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['employee.id'], name=op.f('fk_content_change_set_decided_by_id_employee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_change_set'))
    )
    with op.batch_alter_table('content_change_set', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_content_change_set_state'), ['state'], unique=False)

    op.create_table('content_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('change_set_id', sa.Integer(), nullable=False),
    sa.Column('clause_id', sa.String(length=128), nullable=False),
    sa.Column('lesson_id', sa.String(length=64), nullable=False),
    sa.Column('section_id', sa.String(length=128), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('old_hash', sa.String(length=64), nullable=True),
    sa.Column('new_hash', sa.String(length=64), nullable=True),
    sa.Column('old_text', sa.Text(), nullable=True),
    sa.Column('new_text', sa.Text(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['change_set_id'], ['content_change_set.id'], name=op.f('fk_content_change_change_set_id_content_change_set')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_change')),
    sa.UniqueConstraint('change_set_id', 'clause_id', name='uq_content_change_set_clause')
    )
    with op.batch_alter_table('content_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_content_change_change_set_id'), ['change_set_id'], unique=False)

    op.create_table('retest_assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('change_set_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('course_ids', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('passed_at', sa.DateTime(), nullable=True),
    sa.Column('missed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'], name=op.f('fk_retest_assignment_assignment_id_assignment')),
    sa.ForeignKeyConstraint(['change_set_id'], ['content_change_set.id'], name=op.f('fk_retest_assignment_change_set_id_content_change_set')),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_retest_assignment_employee_id_employee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_retest_assignment')),
    sa.UniqueConstraint('assignment_id', name=op.f('uq_retest_assignment_assignment_id')),
    sa.UniqueConstraint('change_set_id', 'employee_id', name='uq_retest_assignment_set_employee')
    )
    with op.batch_alter_table('retest_assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_retest_assignment_employee_id'), ['employee_id'], unique=False)

    with op.batch_alter_table('clause', schema=None) as batch_op:
        batch_op.add_column(sa.Column('text_hash', sa.String(length=64), nullable=True))



def downgrade():
    with op.batch_alter_table('clause', schema=None) as batch_op:
        batch_op.drop_column('text_hash')

    with op.batch_alter_table('retest_assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_retest_assignment_employee_id'))

    op.drop_table('retest_assignment')
    with op.batch_alter_table('content_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_content_change_change_set_id'))

    op.drop_table('content_change')
    with op.batch_alter_table('content_change_set', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_content_change_set_state'))

    op.drop_table('content_change_set')
