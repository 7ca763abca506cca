"""Administrator pages: the audit log."""
