"""年报助手 — Streamlit entry point: page config and navigation, nothing else."""

import streamlit as st

from assistant.ui.navigation import build_pages

st.set_page_config(page_title="年报助手", page_icon="📄", layout="wide")
st.navigation(build_pages()).run()
