"""zone_changes: the zone-change journal and the triggers that fill it (issue 14 §1)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from dkreg.store import zone_journal

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('zone_changes',
    sa.Column('id', ID, nullable=False, autoincrement=True),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('created_ms', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_zone_changes'))
    )
    zone_journal.install(op.get_bind())


def downgrade() -> None:
    bind = op.get_bind()
    for stmt in zone_journal.drop_ddl(bind.dialect.name):
        bind.exec_driver_sql(stmt)
    op.drop_table('zone_changes')
