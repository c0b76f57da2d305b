"""identity (issue 5): ID-check outcomes, MitID flows, identity documents, registry staff
users and sessions, e-mail verification links

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
TS = sa.DateTime(timezone=True)


def _contact_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'],
                                   name=op.f(f'fk_{table}_contact_id_contacts'),
                                   ondelete='CASCADE')


def _index(table: str, column: str, unique: bool = False) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f'ix_{table}_{column}'), [column], unique=unique)


def upgrade() -> None:
    op.create_table('identity_checks',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('contact_id', ID, nullable=False),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.Column('outcome', sa.String(length=24), nullable=False),
    sa.Column('detail', sa.String(length=255), nullable=True),
    sa.Column('actor', sa.String(length=255), nullable=True),
    sa.Column('created_at', TS, nullable=False),
    _contact_fk('identity_checks'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_checks'))
    )
    _index('identity_checks', 'contact_id')

    op.create_table('identity_flows',
    sa.Column('state_hash', sa.String(length=64), nullable=False),
    sa.Column('contact_id', ID, nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('code_verifier', sa.String(length=128), nullable=False),
    sa.Column('created_at', TS, nullable=False),
    sa.Column('expires_at', TS, nullable=False),
    sa.Column('used_at', TS, nullable=True),
    _contact_fk('identity_flows'),
    sa.PrimaryKeyConstraint('state_hash', name=op.f('pk_identity_flows'))
    )

    op.create_table('identity_documents',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('contact_id', ID, nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=32), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=True),
    sa.Column('uploaded_by', sa.String(length=255), nullable=True),
    sa.Column('uploaded_at', TS, nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('decided_by', sa.String(length=254), nullable=True),
    sa.Column('decided_at', TS, nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    _contact_fk('identity_documents'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_documents')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_identity_documents_stored_name'))
    )
    _index('identity_documents', 'contact_id')

    op.create_table('staff_users',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('disabled', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('created_at', TS, nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_users')),
    sa.UniqueConstraint('email', name=op.f('uq_staff_users_email'))
    )

    op.create_table('staff_sessions',
    sa.Column('id_hash', sa.String(length=64), nullable=False),
    sa.Column('staff_user_id', ID, nullable=False),
    sa.Column('csrf_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', TS, nullable=False),
    sa.Column('last_seen_at', TS, nullable=False),
    sa.Column('client_ip', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['staff_user_id'], ['staff_users.id'],
                            name=op.f('fk_staff_sessions_staff_user_id_staff_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id_hash', name=op.f('pk_staff_sessions'))
    )
    _index('staff_sessions', 'staff_user_id')

    op.create_table('email_verification_tokens',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('contact_id', ID, nullable=False),
    sa.Column('email', sa.String(length=255), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', TS, nullable=False),
    sa.Column('expires_at', TS, nullable=False),
    sa.Column('used_at', TS, nullable=True),
    _contact_fk('email_verification_tokens'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_email_verification_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_email_verification_tokens_token_hash'))
    )
    _index('email_verification_tokens', 'contact_id')


def downgrade() -> None:
    for table in ('email_verification_tokens', 'staff_sessions', 'staff_users',
                  'identity_documents', 'identity_flows', 'identity_checks'):
        op.drop_table(table)
