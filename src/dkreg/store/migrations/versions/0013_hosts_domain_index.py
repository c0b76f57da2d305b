"""hosts: index the superordinate domain (info and delete look up a domain's hosts)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""
from __future__ import annotations

from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_hosts_domain_id', 'hosts', ['domain_id'])


def downgrade() -> None:
    op.drop_index('ix_hosts_domain_id', table_name='hosts')
