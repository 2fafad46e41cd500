"""The pure core: torch + numpy + scipy. Never imports Qt (an import-linter contract checks it)."""
