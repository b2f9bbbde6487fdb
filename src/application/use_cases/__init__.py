"""One use case per user action, each `async def __call__(command)`."""
