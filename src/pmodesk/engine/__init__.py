"""The value engine: pure functions over :class:`pmodesk.domain.PortfolioData` (no I/O, no Qt)."""
