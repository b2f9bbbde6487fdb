"""Use cases (one per user action) and the ports they need. No I/O libraries."""
