"""billing (issue 5): invoices with lines, the invoice number series, payments

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table('invoice_series',
    sa.Column('name', sa.String(length=16), nullable=False),
    sa.Column('last_number', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_invoice_series'))
    )
    op.create_table('invoices',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('number', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('purpose_key', sa.String(length=96), nullable=False),
    sa.Column('debtor_contact_id', ID, nullable=True),
    sa.Column('debtor_registrar_id', ID, nullable=True),
    sa.Column('debtor_name', sa.String(length=255), nullable=False),
    sa.Column('debtor_address', sa.Text(), nullable=False),
    sa.Column('debtor_email', sa.String(length=255), nullable=False),
    sa.Column('lang', sa.String(length=2), nullable=False),
    sa.Column('domain_id', ID, nullable=True),
    sa.Column('period_start', TS, nullable=True),
    sa.Column('period_end', TS, nullable=True),
    sa.Column('issued_at', TS, nullable=False),
    sa.Column('due_at', TS, nullable=False),
    sa.Column('total_ore', sa.BigInteger(), nullable=False),
    sa.Column('vat_ore', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('paid_at', TS, nullable=True),
    sa.Column('payment_reference', sa.String(length=128), nullable=True),
    sa.ForeignKeyConstraint(['debtor_contact_id'], ['contacts.id'], name=op.f('fk_invoices_debtor_contact_id_contacts')),
    sa.ForeignKeyConstraint(['debtor_registrar_id'], ['registrars.id'], name=op.f('fk_invoices_debtor_registrar_id_registrars')),
    sa.ForeignKeyConstraint(['domain_id'], ['domains.id'], name=op.f('fk_invoices_domain_id_domains')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoices')),
    sa.UniqueConstraint('number', name=op.f('uq_invoices_number')),
    sa.UniqueConstraint('purpose_key', name=op.f('uq_invoices_purpose_key'))
    )
    op.create_index(op.f('ix_invoices_debtor_contact_id'), 'invoices', ['debtor_contact_id'], unique=False)
    op.create_index(op.f('ix_invoices_debtor_registrar_id'), 'invoices', ['debtor_registrar_id'], unique=False)
    op.create_index('ix_invoices_status_due', 'invoices', ['status', 'due_at'], unique=False)
    op.create_table('invoice_lines',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('invoice_id', ID, nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=255), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('amount_ore', sa.BigInteger(), nullable=False),
    sa.Column('prepaid', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_invoice_lines_invoice_id_invoices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoice_lines'))
    )
    op.create_index(op.f('ix_invoice_lines_invoice_id'), 'invoice_lines', ['invoice_id'], unique=False)
    op.create_table('payments',
    sa.Column('id', ID, autoincrement=True, nullable=False),
    sa.Column('invoice_id', ID, nullable=False),
    sa.Column('reference', sa.String(length=64), nullable=False),
    sa.Column('provider', sa.String(length=16), nullable=False),
    sa.Column('amount_ore', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('provider_transaction', sa.String(length=128), nullable=True),
    sa.Column('created_at', TS, nullable=False),
    sa.Column('completed_at', TS, nullable=True),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_payments_invoice_id_invoices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payments')),
    sa.UniqueConstraint('reference', name=op.f('uq_payments_reference'))
    )
    op.create_index(op.f('ix_payments_invoice_id'), 'payments', ['invoice_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_payments_invoice_id'), table_name='payments')
    op.drop_table('payments')
    op.drop_index(op.f('ix_invoice_lines_invoice_id'), table_name='invoice_lines')
    op.drop_table('invoice_lines')
    op.drop_index('ix_invoices_status_due', table_name='invoices')
    op.drop_index(op.f('ix_invoices_debtor_registrar_id'), table_name='invoices')
    op.drop_index(op.f('ix_invoices_debtor_contact_id'), table_name='invoices')
    op.drop_table('invoices')
    op.drop_table('invoice_series')
