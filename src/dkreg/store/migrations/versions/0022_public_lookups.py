"""reserved_names and waiting_list_offers: what WHOIS and DAS show for a name that is
not a domain (issue 15 §1, §3); ix_domains_name: the zone's owner-record read (a host
lookup, a publication round) asks for released rows too, which the partial unique index
on live names cannot serve

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

TS = sa.DateTime(timezone=True)

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_index('ix_domains_name', 'domains', ['name'], unique=False)
    op.create_table('reserved_names',
    sa.Column('id', ID, nullable=False, autoincrement=True),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('uname', sa.String(length=255), nullable=False),
    sa.Column('reason', sa.String(length=255), nullable=False),
    sa.Column('created_at', TS, nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reserved_names')),
    sa.UniqueConstraint('name', name=op.f('uq_reserved_names_name'))
    )
    op.create_table('waiting_list_offers',
    sa.Column('id', ID, nullable=False, autoincrement=True),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('uname', sa.String(length=255), nullable=False),
    sa.Column('offered_at', TS, nullable=False),
    sa.Column('offered_until', TS, nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_waiting_list_offers')),
    sa.UniqueConstraint('name', name=op.f('uq_waiting_list_offers_name'))
    )


def downgrade() -> None:
    op.drop_index('ix_domains_name', table_name='domains')
    op.drop_table('waiting_list_offers')
    op.drop_table('reserved_names')
