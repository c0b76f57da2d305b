"""ix_domains_live_expiry: live, active domains not on their way out, by expiry — the
expiry step's due query, which along ix_domains_expires_at walked every released and
deleted domain's old expiry date too; ix_domains_registry_invoiced_expiry: the domains the registry invoices itself
(registrant-managed without a registrar as billing contact), by expiry — the renewal
invoices' due query walked all of ``domains`` in id order on every lifecycle interval
(0.2 s at .dk's 1.4 M domains)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-08
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

LIVE = ("state = 'active' AND released_at IS NULL AND redemption_until IS NULL "
        "AND delete_at IS NULL")
WHERE = ("management = 'registrant' AND billing_registrar_id IS NULL "
         "AND released_at IS NULL")


def upgrade() -> None:
    op.create_index('ix_domains_live_expiry', 'domains', ['expires_at'], unique=False,
                    postgresql_where=sa.text(LIVE), sqlite_where=sa.text(LIVE))
    op.create_index('ix_domains_registry_invoiced_expiry', 'domains', ['expires_at'],
                    unique=False, postgresql_where=sa.text(WHERE),
                    sqlite_where=sa.text(WHERE))


def downgrade() -> None:
    op.drop_index('ix_domains_live_expiry', table_name='domains',
                  postgresql_where=sa.text(LIVE), sqlite_where=sa.text(LIVE))
    op.drop_index('ix_domains_registry_invoiced_expiry', table_name='domains',
                  postgresql_where=sa.text(WHERE), sqlite_where=sa.text(WHERE))
