"""Cartographie des services en français et des besoins des immigrants francophones.

London, Middlesex, Elgin and Oxford (Ontario). Layers, from the bottom up:

* domain and vocabulary: :mod:`cartography.vocabulary`, :mod:`cartography.model`,
  :mod:`cartography.i18n`, :mod:`cartography.paths`;
* pure computation: :mod:`cartography.geography`, :mod:`cartography.geocoding`,
  :mod:`cartography.access`;
* IO: :mod:`cartography.io`;
* presentation and UI above those.

Nothing below the UI imports streamlit.
"""

__version__ = "0.1.0"
