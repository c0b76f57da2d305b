"""Portal bulk results: the per-domain outcome of a bulk renew or name-server change, for
the page the POST redirects to (issue 13 §2, lists)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-10
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table('portal_bulk_results',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('portal_user_id', ID, nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('rows', sa.Text(), nullable=False),
    sa.Column('created_at', TS, nullable=False),
    sa.ForeignKeyConstraint(['portal_user_id'], ['portal_users.id'], ondelete='CASCADE',
                            name=op.f('fk_portal_bulk_results_portal_user_id_portal_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_portal_bulk_results'))
    )
    op.create_index(op.f('ix_portal_bulk_results_portal_user_id'), 'portal_bulk_results',
                    ['portal_user_id'], unique=False)
    op.create_index(op.f('ix_portal_bulk_results_created_at'), 'portal_bulk_results',
                    ['created_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_portal_bulk_results_created_at'), table_name='portal_bulk_results')
    op.drop_index(op.f('ix_portal_bulk_results_portal_user_id'),
                  table_name='portal_bulk_results')
    op.drop_table('portal_bulk_results')
