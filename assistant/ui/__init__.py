"""Streamlit pages and widgets: the only code that imports streamlit."""
