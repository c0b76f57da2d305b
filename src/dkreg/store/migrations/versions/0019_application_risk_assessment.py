"""applications: the risk assessment the outcome's poll message carried (issue 13 §2: the
application's page shows it)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('applications') as batch_op:
        batch_op.add_column(sa.Column('risk_assessment', sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('applications') as batch_op:
        batch_op.drop_column('risk_assessment')
