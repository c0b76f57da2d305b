"""The status page (issue 16): components with their state and its history, incidents
and scheduled maintenances with their timelines and the components they affect

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-08
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

TS = sa.DateTime(timezone=True)

revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('status_components',
    sa.Column('id', ID, nullable=False, autoincrement=True),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('group_key', sa.String(length=64), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=32), nullable=False),
    sa.Column('state_since', TS, nullable=False),
    sa.Column('created_at', TS, nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_status_components')),
    sa.UniqueConstraint('key', name=op.f('uq_status_components_key'))
    )
    op.create_table('status_component_events',
    sa.Column('id', ID, nullable=False, autoincrement=True),
    sa.Column('component_id', ID, nullable=False),
    sa.Column('state', sa.String(length=32), nullable=False),
    sa.Column('at', TS, nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['component_id'], ['status_components.id'],
                            name=op.f('fk_status_component_events_component_id_status_components')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_status_component_events'))
    )
    op.create_index('ix_status_component_events_component_at', 'status_component_events',
                    ['component_id', 'at'], unique=False)
    op.create_table('status_incidents',
    sa.Column('id', ID, nullable=False, autoincrement=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name_da', sa.String(length=255), nullable=False),
    sa.Column('name_en', sa.String(length=255), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('impact', sa.String(length=16), nullable=False),
    sa.Column('draft', sa.Boolean(), nullable=False),
    sa.Column('created_at', TS, nullable=False),
    sa.Column('updated_at', TS, nullable=False),
    sa.Column('started_at', TS, nullable=True),
    sa.Column('monitoring_at', TS, nullable=True),
    sa.Column('resolved_at', TS, nullable=True),
    sa.Column('scheduled_for', TS, nullable=True),
    sa.Column('scheduled_until', TS, nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_status_incidents'))
    )
    op.create_index('ix_status_incidents_kind_status', 'status_incidents',
                    ['kind', 'status'], unique=False)
    op.create_table('status_incident_updates',
    sa.Column('id', ID, nullable=False, autoincrement=True),
    sa.Column('incident_id', ID, nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('body_da', sa.Text(), nullable=False),
    sa.Column('body_en', sa.Text(), nullable=False),
    sa.Column('created_at', TS, nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['status_incidents.id'],
                            name=op.f('fk_status_incident_updates_incident_id_status_incidents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_status_incident_updates'))
    )
    op.create_index(op.f('ix_status_incident_updates_incident_id'), 'status_incident_updates',
                    ['incident_id'], unique=False)
    op.create_table('status_incident_components',
    sa.Column('incident_id', ID, nullable=False),
    sa.Column('component_id', ID, nullable=False),
    sa.Column('state', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['status_incidents.id'],
                            name=op.f('fk_status_incident_components_incident_id_status_incidents')),
    sa.ForeignKeyConstraint(['component_id'], ['status_components.id'],
                            name=op.f('fk_status_incident_components_component_id_status_components')),
    sa.PrimaryKeyConstraint('incident_id', 'component_id',
                            name=op.f('pk_status_incident_components'))
    )


def downgrade() -> None:
    op.drop_table('status_incident_components')
    op.drop_table('status_incident_updates')
    op.drop_table('status_incidents')
    op.drop_index('ix_status_component_events_component_at',
                  table_name='status_component_events')
    op.drop_table('status_component_events')
    op.drop_table('status_components')
