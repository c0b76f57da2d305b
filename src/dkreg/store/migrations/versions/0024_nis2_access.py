"""NIS2 disclosure: access requests, access grants and inaccuracy reports (issue 15 §5)

Revision ID: 0024
Revises: 0022
Create Date: 2026-12-06
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

TS = sa.DateTime(timezone=True)

revision = '0024'
down_revision = '0022'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('nis2_access_requests',
    sa.Column('id', ID, nullable=False, autoincrement=True),
    sa.Column('requester_name', sa.String(length=255), nullable=False),
    sa.Column('requester_org', sa.String(length=255), nullable=False),
    sa.Column('requester_email', sa.String(length=254), nullable=False),
    sa.Column('requester_type', sa.String(length=16), nullable=False),
    sa.Column('domains', sa.Text(), nullable=False),
    sa.Column('fields', sa.String(length=255), nullable=False),
    sa.Column('legal_basis', sa.Text(), nullable=False),
    sa.Column('lang', sa.String(length=2), nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.Column('client_ip', sa.String(length=64), nullable=True),
    sa.Column('received_at', TS, nullable=False),
    sa.Column('due_at', TS, nullable=False),
    sa.Column('alarm_at', TS, nullable=False),
    sa.Column('alarm_sent_at', TS, nullable=True),
    sa.Column('decided_at', TS, nullable=True),
    sa.Column('decision', sa.String(length=8), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('decided_by', ID, nullable=True),
    sa.ForeignKeyConstraint(['decided_by'], ['staff_users.id'],
                            name=op.f('fk_nis2_access_requests_decided_by_staff_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nis2_access_requests'))
    )
    op.create_index('ix_nis2_access_requests_open', 'nis2_access_requests',
                    ['decided_at', 'alarm_at'], unique=False)
    op.create_index(op.f('ix_nis2_access_requests_received_at'), 'nis2_access_requests',
                    ['received_at'], unique=False)
    op.create_table('nis2_access_grants',
    sa.Column('id', ID, nullable=False, autoincrement=True),
    sa.Column('request_id', ID, nullable=True),
    sa.Column('requester_name', sa.String(length=255), nullable=False),
    sa.Column('requester_org', sa.String(length=255), nullable=False),
    sa.Column('requester_email', sa.String(length=254), nullable=False),
    sa.Column('requester_type', sa.String(length=16), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('standing', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('domains', sa.Text(), nullable=False),
    sa.Column('fields', sa.String(length=255), nullable=False),
    sa.Column('valid_from', TS, nullable=False),
    sa.Column('valid_until', TS, nullable=False),
    sa.Column('created_at', TS, nullable=False),
    sa.Column('created_by', ID, nullable=True),
    sa.Column('suspended_at', TS, nullable=True),
    sa.Column('suspended_by', ID, nullable=True),
    sa.Column('revoked_at', TS, nullable=True),
    sa.Column('revoked_by', ID, nullable=True),
    sa.ForeignKeyConstraint(['request_id'], ['nis2_access_requests.id'],
                            name=op.f('fk_nis2_access_grants_request_id_nis2_access_requests')),
    sa.ForeignKeyConstraint(['created_by'], ['staff_users.id'],
                            name=op.f('fk_nis2_access_grants_created_by_staff_users')),
    sa.ForeignKeyConstraint(['suspended_by'], ['staff_users.id'],
                            name=op.f('fk_nis2_access_grants_suspended_by_staff_users')),
    sa.ForeignKeyConstraint(['revoked_by'], ['staff_users.id'],
                            name=op.f('fk_nis2_access_grants_revoked_by_staff_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nis2_access_grants')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_nis2_access_grants_token_hash'))
    )
    op.create_index(op.f('ix_nis2_access_grants_request_id'), 'nis2_access_grants',
                    ['request_id'], unique=False)
    op.create_table('nis2_inaccuracy_reports',
    sa.Column('id', ID, nullable=False, autoincrement=True),
    sa.Column('domain_id', ID, nullable=False),
    sa.Column('domain_name', sa.String(length=255), nullable=False),
    sa.Column('wrong_fields', sa.String(length=255), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('reporter_email', sa.String(length=254), nullable=False),
    sa.Column('lang', sa.String(length=2), nullable=False),
    sa.Column('client_ip', sa.String(length=64), nullable=True),
    sa.Column('received_at', TS, nullable=False),
    sa.Column('contact_id', ID, nullable=False),
    sa.Column('restarted', sa.Boolean(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.Column('outcome_at', TS, nullable=True),
    sa.ForeignKeyConstraint(['domain_id'], ['domains.id'],
                            name=op.f('fk_nis2_inaccuracy_reports_domain_id_domains')),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'],
                            name=op.f('fk_nis2_inaccuracy_reports_contact_id_contacts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nis2_inaccuracy_reports'))
    )
    op.create_index(op.f('ix_nis2_inaccuracy_reports_domain_id'), 'nis2_inaccuracy_reports',
                    ['domain_id'], unique=False)
    op.create_index(op.f('ix_nis2_inaccuracy_reports_received_at'),
                    'nis2_inaccuracy_reports', ['received_at'], unique=False)
    op.create_index('ix_nis2_inaccuracy_reports_state', 'nis2_inaccuracy_reports',
                    ['state'], unique=False)


def downgrade() -> None:
    op.drop_table('nis2_inaccuracy_reports')
    op.drop_table('nis2_access_grants')
    op.drop_table('nis2_access_requests')
