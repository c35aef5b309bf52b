"""Storage: the engine, the mapped tables and every query. The only package that speaks SQL."""
