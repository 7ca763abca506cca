"""Authentication (login, logout, passwords) and the one permission layer."""
