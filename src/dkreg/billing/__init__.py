"""Billing the registry does itself: invoices (PDF with FIK), payment links, the payment
provider adapter and its sandbox simulator."""
