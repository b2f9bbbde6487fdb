"""Expiry-lag benchmark: thousands of attempts overdue at once, finalised by the sweeper."""
