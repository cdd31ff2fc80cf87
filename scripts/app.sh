#!/usr/bin/env bash
# Start the app on the demonstration data (embedded SQLite store). Sets everything up first.
source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh" app
exec .venv/bin/cartography serve "$@"
