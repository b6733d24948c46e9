"""Fe K-edge reverse network (spectrum -> G2 pseudo-PDF + first-shell distance) and CN classifier (issue 4)."""
