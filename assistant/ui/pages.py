"""The app's pages for st.navigation."""

from __future__ import annotations

import streamlit as st

from assistant.ui import overview

PAGES = [st.Page(overview.show, title="报告", icon="📄", default=True)]
