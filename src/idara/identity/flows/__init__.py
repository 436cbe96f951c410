"""Identity flows: PKI operations, the login methods, and the login seam (`flows.login`)."""
