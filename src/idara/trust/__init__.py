"""The trust service: the national OpenID Connect provider and identity-verification API."""
