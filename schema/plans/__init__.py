"""Production plans: plans, their published revisions, the lines of each, and suppliers' commitments."""
