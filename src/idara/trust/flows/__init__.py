"""Trust-service work across domains: authorization, tokens, logout, verification."""
