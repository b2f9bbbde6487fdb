"""The HTTP API under /api/v1: controllers, msgspec schemas, auth and the error table."""
