"""identity_flows: the redirect_uri each MitID flow's authorization request sent

The callback must arrive at it and the code is exchanged with it. A flow in progress
during the upgrade (15 minutes at most) has none and its callback is refused; the person
starts the check again.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-10
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('identity_flows', schema=None) as batch_op:
        batch_op.add_column(sa.Column('redirect_uri', sa.String(length=512),
                                      server_default='', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('identity_flows', schema=None) as batch_op:
        batch_op.drop_column('redirect_uri')
