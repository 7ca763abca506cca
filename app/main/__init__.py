"""Landing page, health check and error pages."""
