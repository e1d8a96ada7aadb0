"""Contributions: what contributors send waits as a submission until a curator reviews it.

- :mod:`~coopgraph.contrib.submissions`: pending submissions, one file each outside the store
  (so no query, page or dump shows unreviewed data);
- :mod:`~coopgraph.contrib.tabular` and :mod:`~coopgraph.contrib.forms`: CSV templates and the
  forms of ``/contribute``, whose fields become rows of the same templates and the same checks;
- :mod:`~coopgraph.contrib.reconcile`: for each node a submission mints, the existing nodes it
  probably is;
- :mod:`~coopgraph.contrib.review`: approve (the curator's choices applied, the gate run again,
  committed with its provenance as the named graph of the submission), reject, withdraw.
- :mod:`~coopgraph.contrib.pages`: what the review pages show (content by subject, suggestions).
"""
