#!/usr/bin/env bash
# Debian packages the full test suite uses: nothing yet.
exit 0
