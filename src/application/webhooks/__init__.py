"""Webhooks: registrations, and the dispatch of the outbox's deliveries."""
