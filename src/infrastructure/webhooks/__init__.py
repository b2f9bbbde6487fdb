"""Webhook adapters: sealing secrets, the SSRF rule, and the signed HTTP send."""
