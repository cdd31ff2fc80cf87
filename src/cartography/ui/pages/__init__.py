"""One thin module per page."""
