"""msgspec shapes of the HTTP contract (API.md), one module per router: field names are
the contract. `fields` holds the constrained types they share."""
