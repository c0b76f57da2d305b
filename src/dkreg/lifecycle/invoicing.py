"""The registry's invoicing as lifecycle steps: renewal invoices ahead of expiry, their
cancellation when stale, and the registrars' monthly invoices.

What an invoice is lives in ``billing.invoices``; when one is due is the lifecycle's
(``tick`` runs these in its order), so billing does not import the runner.
"""

from __future__ import annotations

from dkreg.billing import invoices
from dkreg.lifecycle.runner import Step

RENEWAL_INVOICES = Step("renewal_invoices", invoices.due_renewal_invoices,
                        invoices.issue_renewal_invoices, invoices.oldest_renewal_invoice,
                        lambda row: f"domain {row.id} ({row.uname})")
RENEWAL_INVOICES_CANCEL = Step("renewal_invoices_cancel", invoices.due_stale_renewals,
                               invoices.cancel_stale_renewals, invoices.oldest_stale_renewal,
                               lambda row: f"invoice {row.number}")
MONTHLY_INVOICES = Step("monthly_invoices", invoices.due_monthly_invoices,
                        invoices.issue_monthly_invoices, invoices.oldest_monthly_invoice,
                        lambda row: f"registrar {row.id}", limit=50)
