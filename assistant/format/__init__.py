"""The official format: layout, models, cell keys and their words."""
