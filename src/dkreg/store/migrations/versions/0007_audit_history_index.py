"""a domain's history: index the audit trail by registrar, object and time

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""
from __future__ import annotations

from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # the composite index starts with registrar_id, so it replaces the single-column one
    op.create_index('ix_audit_registrar_object', 'audit', ['registrar_id', 'object', 'at'],
                    unique=False)
    op.drop_index('ix_audit_registrar_id', table_name='audit')


def downgrade() -> None:
    op.create_index('ix_audit_registrar_id', 'audit', ['registrar_id'], unique=False)
    op.drop_index('ix_audit_registrar_object', table_name='audit')
