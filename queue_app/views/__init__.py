"""HTTP blueprints, one module per audience."""
