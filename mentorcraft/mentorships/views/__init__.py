"""The pages of a mentorship, one module per subject (as the services)."""
