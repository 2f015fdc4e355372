"""Message catalogues: one module per area, each exporting ``MESSAGES``."""
