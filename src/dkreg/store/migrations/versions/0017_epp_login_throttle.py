"""EPP login throttle: failed-login counts, attempts in flight and lockouts per login name
and per address (issue 11 §2)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table('epp_login_throttle',
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('in_flight', sa.Integer(), nullable=False),
    sa.Column('in_flight_since', TS, nullable=True),
    sa.Column('last_at', TS, nullable=False),
    sa.Column('locked_until', TS, nullable=True),
    sa.Column('registrar_id', ID, nullable=True),
    sa.ForeignKeyConstraint(['registrar_id'], ['registrars.id'], ondelete='SET NULL',
                            name=op.f('fk_epp_login_throttle_registrar_id_registrars')),
    sa.PrimaryKeyConstraint('kind', 'key', name=op.f('pk_epp_login_throttle'))
    )
    op.create_index(op.f('ix_epp_login_throttle_registrar_id'), 'epp_login_throttle',
                    ['registrar_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_epp_login_throttle_registrar_id'), table_name='epp_login_throttle')
    op.drop_table('epp_login_throttle')
