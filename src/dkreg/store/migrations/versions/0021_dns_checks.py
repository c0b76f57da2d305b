"""domain_dns_checks and sandbox_test_zones: the registry's name-server checks and the
sandbox's test zones (issue 14 §3)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-04
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

TS = sa.DateTime(timezone=True)

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('domain_dns_checks',
    sa.Column('id', ID, nullable=False, autoincrement=True),
    sa.Column('domain_id', ID, nullable=False),
    sa.Column('application_id', ID, nullable=True),
    sa.Column('registrar_id', ID, nullable=True),
    sa.Column('occasion', sa.String(length=16), nullable=False),
    sa.Column('checked_at', TS, nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.String(length=64), nullable=True),
    sa.Column('dnssec', sa.String(length=64), nullable=True),
    sa.Column('result', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['domain_id'], ['domains.id'],
                            name=op.f('fk_domain_dns_checks_domain_id_domains')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'],
                            name=op.f('fk_domain_dns_checks_application_id_applications')),
    sa.ForeignKeyConstraint(['registrar_id'], ['registrars.id'],
                            name=op.f('fk_domain_dns_checks_registrar_id_registrars')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_domain_dns_checks'))
    )
    op.create_index(op.f('ix_domain_dns_checks_domain_id'), 'domain_dns_checks',
                    ['domain_id'], unique=False)
    op.create_index(op.f('ix_domain_dns_checks_application_id'), 'domain_dns_checks',
                    ['application_id'], unique=False)
    op.create_table('sandbox_test_zones',
    sa.Column('id', ID, nullable=False, autoincrement=True),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('registrar_id', ID, nullable=True),
    sa.Column('ns', sa.Text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('updated_at', TS, nullable=False),
    sa.ForeignKeyConstraint(['registrar_id'], ['registrars.id'],
                            name=op.f('fk_sandbox_test_zones_registrar_id_registrars')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sandbox_test_zones')),
    sa.UniqueConstraint('name', name=op.f('uq_sandbox_test_zones_name'))
    )


def downgrade() -> None:
    op.drop_table('sandbox_test_zones')
    op.drop_index(op.f('ix_domain_dns_checks_application_id'), table_name='domain_dns_checks')
    op.drop_index(op.f('ix_domain_dns_checks_domain_id'), table_name='domain_dns_checks')
    op.drop_table('domain_dns_checks')
