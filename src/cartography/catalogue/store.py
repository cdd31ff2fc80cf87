"""Messages: store (French first, English beside)."""

MESSAGES: dict[str, tuple[str, str]] = {}
