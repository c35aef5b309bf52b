"""Reading state without changing it: snapshots for each audience, the dashboard's numbers, the export."""
