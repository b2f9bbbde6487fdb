"""PostgreSQL adapters: the durable store behind the attempt and exam ports."""
