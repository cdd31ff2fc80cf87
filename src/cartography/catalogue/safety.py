"""Messages: safety (French first, English beside)."""

MESSAGES: dict[str, tuple[str, str]] = {}
