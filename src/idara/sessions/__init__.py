"""Server-side sessions: an opaque random id in a cookie, the state in the database (core)."""
