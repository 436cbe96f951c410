"""The HTTP shell shared by every domain: templates, errors, security, observability."""
