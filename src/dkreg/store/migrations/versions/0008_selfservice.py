"""selfservice (issue 5): registrant passwords, sessions, login links and throttling

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table('selfservice_credentials',
    sa.Column('contact_id', ID, nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('changed_at', TS, nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_selfservice_credentials_contact_id_contacts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('contact_id', name=op.f('pk_selfservice_credentials'))
    )
    op.create_table('selfservice_sessions',
    sa.Column('id_hash', sa.String(length=64), nullable=False),
    sa.Column('csrf_token', sa.String(length=64), nullable=False),
    sa.Column('email', sa.String(length=255), nullable=True),
    sa.Column('contact_ids', sa.Text(), nullable=False),
    sa.Column('created_at', TS, nullable=False),
    sa.Column('last_seen_at', TS, nullable=False),
    sa.Column('client_ip', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id_hash', name=op.f('pk_selfservice_sessions'))
    )
    op.create_table('selfservice_links',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('email', sa.String(length=255), nullable=False),
    sa.Column('created_at', TS, nullable=False),
    sa.Column('expires_at', TS, nullable=False),
    sa.Column('used_at', TS, nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_selfservice_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_selfservice_links_token_hash'))
    )
    with op.batch_alter_table('selfservice_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_selfservice_links_email'), ['email'], unique=False)
    op.create_table('selfservice_throttle',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('at', TS, nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_selfservice_throttle'))
    )
    with op.batch_alter_table('selfservice_throttle', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_selfservice_throttle_at'), ['at'], unique=False)
        batch_op.create_index('ix_selfservice_throttle_kind_key', ['kind', 'key', 'at'],
                              unique=False)


    # login links and e-mail logins find contacts by address, case-insensitively
    op.create_index('ix_contacts_email_lower', 'contacts', [sa.text('lower(email)')],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_contacts_email_lower', table_name='contacts')
    op.drop_table('selfservice_throttle')
    op.drop_table('selfservice_links')
    op.drop_table('selfservice_sessions')
    op.drop_table('selfservice_credentials')
