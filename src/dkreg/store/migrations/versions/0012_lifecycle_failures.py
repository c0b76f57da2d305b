"""lifecycle failures: items a step failed on, retried with back-off (issue 10 §4)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table('lifecycle_failures',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('step', sa.String(length=64), nullable=False),
    sa.Column('item_id', sa.BigInteger(), nullable=False),
    sa.Column('item', sa.String(length=255), nullable=False),
    sa.Column('error_kind', sa.String(length=128), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('first_failed_at', TS, nullable=False),
    sa.Column('last_failed_at', TS, nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', TS, nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lifecycle_failures')),
    sa.UniqueConstraint('step', 'item_id', name='uq_lifecycle_failures_step_item')
    )
    op.create_index('ix_lifecycle_failures_step_next', 'lifecycle_failures',
                    ['step', 'next_attempt_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_lifecycle_failures_step_next', table_name='lifecycle_failures')
    op.drop_table('lifecycle_failures')
