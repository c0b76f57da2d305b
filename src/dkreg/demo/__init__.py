"""A synthetic registry of realistic shape for measurements (issue 14 §4).

``shapes`` decides what the data looks like (pure, seeded), ``generator`` turns a
size and a seed into rows table by table, ``load`` writes them in one transaction (COPY
on PostgreSQL). Later issues (lookups, incentives) reuse and extend it.
"""
