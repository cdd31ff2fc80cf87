"""The application's workflows, each written once; the command line and the app call them.

Below this layer, ``cartography.io`` only reads and writes (store, workbooks, census and
geography files, exports) and the pure modules compute; above it, ``cartography.ui`` and
``cartography.cli`` reach the store and files only through these modules
(``tests/test_layers.py`` checks it):

* :mod:`~cartography.services.workspace`: open the store and the geography;
* :mod:`~cartography.services.submissions`: check, submit and validate a member's answers,
  choose the version a member's deck or template starts from;
* :mod:`~cartography.services.compile`: compile a cycle for publication (protected data only);
* :mod:`~cartography.services.demo`: the demonstration store;
* :mod:`~cartography.services.files`: the files users download (exports, templates, HSDS,
  changes, plans) and the census characteristics they load.
"""
