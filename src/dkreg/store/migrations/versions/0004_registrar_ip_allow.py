"""registrar portal, second slice: the registrar's IP allow-list for EPP login

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('registrar_ip_allow',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('registrar_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('network', sa.String(length=43), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=254), nullable=True),
    sa.ForeignKeyConstraint(['registrar_id'], ['registrars.id'], name=op.f('fk_registrar_ip_allow_registrar_id_registrars')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registrar_ip_allow')),
    sa.UniqueConstraint('registrar_id', 'network', name='uq_registrar_ip_allow_network')
    )
    with op.batch_alter_table('registrar_ip_allow', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registrar_ip_allow_registrar_id'), ['registrar_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('registrar_ip_allow', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registrar_ip_allow_registrar_id'))

    op.drop_table('registrar_ip_allow')
