"""pending_requests: an e-mail change's confirmation link and its mail (issue 11 §7)

A changed address applies only when the new address follows the link mailed to it:
``token_hash`` is the SHA-256 of that link's token (single use: the request settles
once), ``mail_id`` the outbox row of the mail, so a permanent delivery failure (a
bounce) finds the change it was for.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    with op.batch_alter_table('pending_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('mail_id', ID, nullable=True))
        batch_op.create_index(batch_op.f('ix_pending_requests_token_hash'), ['token_hash'],
                              unique=True)
        batch_op.create_index(batch_op.f('ix_pending_requests_mail_id'), ['mail_id'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_pending_requests_mail_id_mail_outbox'),
                                    'mail_outbox', ['mail_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('pending_requests', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_pending_requests_mail_id_mail_outbox'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_pending_requests_mail_id'))
        batch_op.drop_index(batch_op.f('ix_pending_requests_token_hash'))
        batch_op.drop_column('mail_id')
        batch_op.drop_column('token_hash')
