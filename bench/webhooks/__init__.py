"""`python -m bench.webhooks`: webhook delivery throughput, and the outbox's cost to
submit and expiry (docs/benchmarks.md, "Webhooks")."""
