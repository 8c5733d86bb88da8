"""Reading budget performance-target documents into typed records."""
