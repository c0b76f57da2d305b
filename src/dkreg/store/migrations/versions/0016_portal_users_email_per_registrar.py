"""portal_users: an address is unique per registrar, and active at one registrar only

Before, ``email`` was unique over all rows, so an invitation to an address that is (or
was invited as) another registrar's user had no row of its own — the inviter's Users list
then showed the difference (issue 11 §9a). Now (registrar_id, email) is unique, and a
partial unique index over active accounts (invited = false) keeps the address the login
of one account only. Existing rows are unique by e-mail, so both hold for them already.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

ACTIVE = sa.text('invited = false')


def upgrade() -> None:
    with op.batch_alter_table('portal_users', schema=None) as batch_op:
        batch_op.drop_constraint('uq_portal_users_email', type_='unique')
        batch_op.create_unique_constraint('uq_portal_users_registrar_email',
                                          ['registrar_id', 'email'])
        batch_op.create_index('uq_portal_users_active_email', ['email'], unique=True,
                              postgresql_where=ACTIVE, sqlite_where=ACTIVE)


def downgrade() -> None:
    # fails (as it must) once an address has rows at several registrars
    with op.batch_alter_table('portal_users', schema=None) as batch_op:
        batch_op.drop_index('uq_portal_users_active_email', postgresql_where=ACTIVE,
                            sqlite_where=ACTIVE)
        batch_op.drop_constraint('uq_portal_users_registrar_email', type_='unique')
        batch_op.create_unique_constraint('uq_portal_users_email', ['email'])
