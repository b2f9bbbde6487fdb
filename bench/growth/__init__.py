"""Flat cost as data grows: save, start, submit and reconciliation on a fresh and a big database."""
