"""The Streamlit user interface: pages and the one module that owns all caching."""
