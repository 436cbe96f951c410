"""Identity persistence: the registry (persons), the PKI (CAs, cards) and logins in flight."""
