"""The composition root: the only part of presentation that knows the infrastructure."""
