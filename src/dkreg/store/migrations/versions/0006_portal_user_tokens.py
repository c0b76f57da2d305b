"""portal users: invitations, password reset and TOTP (one-time tokens, reset throttling)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    with op.batch_alter_table('portal_users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invited', sa.Boolean(), server_default=sa.text('false'), nullable=False))
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('totp_enabled_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('totp_last_step', sa.BigInteger(), nullable=True))

    op.create_table('portal_user_tokens',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('portal_user_id', ID, nullable=False),
    sa.Column('purpose', sa.String(length=8), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['portal_user_id'], ['portal_users.id'], name=op.f('fk_portal_user_tokens_portal_user_id_portal_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_portal_user_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_portal_user_tokens_token_hash'))
    )
    with op.batch_alter_table('portal_user_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_portal_user_tokens_portal_user_id'), ['portal_user_id'], unique=False)

    op.create_table('portal_reset_requests',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('client_ip', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_portal_reset_requests'))
    )
    with op.batch_alter_table('portal_reset_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_portal_reset_requests_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_portal_reset_requests_client_ip'), ['client_ip'], unique=False)
        batch_op.create_index(batch_op.f('ix_portal_reset_requests_email'), ['email'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('portal_reset_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_portal_reset_requests_email'))
        batch_op.drop_index(batch_op.f('ix_portal_reset_requests_client_ip'))
        batch_op.drop_index(batch_op.f('ix_portal_reset_requests_at'))

    op.drop_table('portal_reset_requests')
    with op.batch_alter_table('portal_user_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_portal_user_tokens_portal_user_id'))

    op.drop_table('portal_user_tokens')
    with op.batch_alter_table('portal_users', schema=None) as batch_op:
        batch_op.drop_column('totp_last_step')
        batch_op.drop_column('totp_enabled_at')
        batch_op.drop_column('totp_secret')
        batch_op.drop_column('invited')
