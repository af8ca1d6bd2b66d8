"""Reusable widgets: charts, tables, the context bar, the filter line."""
