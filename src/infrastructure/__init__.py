"""Adapters that implement the application's ports, and the wiring that binds them."""
