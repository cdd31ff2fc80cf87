#!/usr/bin/env bash
# Start the app on the demonstration data (embedded SQLite store). Sets everything up first.
source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh" app
.venv/bin/cartography demo --if-empty
exec .venv/bin/cartography serve "$@"
