"""certificates: certification rules (from courses.yml) and issued certificates

Revision ID: i16a_certificates
Revises: i16b_retest

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i16a_certificates'
down_revision = 'i16b_retest'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('certification_rule',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('activities', sa.JSON(), nullable=False),
    sa.Column('min_score', sa.Integer(), nullable=False),
    sa.Column('valid_months', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('retired', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['id'], ['course.id'], name=op.f('fk_certification_rule_id_course')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certification_rule'))
    )
    op.create_table('certificate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('verification_code', sa.String(length=64), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.String(length=64), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('current_slot', sa.Integer(), nullable=True),
    sa.Column('superseded_at', sa.DateTime(), nullable=True),
    sa.Column('superseded_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('revoke_reason', sa.Text(), nullable=False),
    sa.Column('renewal_assignment_id', sa.Integer(), nullable=True),
    sa.Column('needs_renewal_since', sa.DateTime(), nullable=True),
    sa.Column('needs_renewal_reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_certificate_course_id_course')),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_certificate_employee_id_employee')),
    sa.ForeignKeyConstraint(['renewal_assignment_id'], ['assignment.id'], name=op.f('fk_certificate_renewal_assignment_id_assignment')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['employee.id'], name=op.f('fk_certificate_revoked_by_id_employee')),
    sa.ForeignKeyConstraint(['superseded_by_id'], ['certificate.id'], name=op.f('fk_certificate_superseded_by_id_certificate')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate')),
    sa.UniqueConstraint('employee_id', 'course_id', 'current_slot', name='uq_certificate_current'),
    sa.UniqueConstraint('number', name=op.f('uq_certificate_number')),
    sa.UniqueConstraint('verification_code', name=op.f('uq_certificate_verification_code'))
    )
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificate_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificate_employee_id'), ['employee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificate_expires_on'), ['expires_on'], unique=False)


def downgrade():
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificate_expires_on'))
        batch_op.drop_index(batch_op.f('ix_certificate_employee_id'))
        batch_op.drop_index(batch_op.f('ix_certificate_course_id'))

    op.drop_table('certificate')
    op.drop_table('certification_rule')
