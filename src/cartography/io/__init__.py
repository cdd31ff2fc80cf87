"""Input and output: geography sources, census files, the template, the store, exports."""
