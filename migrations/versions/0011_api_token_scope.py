"""appraisal: API tokens get an expiry date and a department scope

Revision ID: i17a_token_scope
Revises: 0007

"""
from alembic import op
import sqlalchemy as sa


revision = 'i17a_token_scope'
down_revision = 'i14b_not_observed_reason'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('appraisal_api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('department_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_appraisal_api_token_department_id_department'),
                                    'department', ['department_id'], ['id'])


def downgrade():
    with op.batch_alter_table('appraisal_api_token', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_appraisal_api_token_department_id_department'), type_='foreignkey')
        batch_op.drop_column('department_id')
        batch_op.drop_column('expires_on')
