#!/usr/bin/env bash
# Start the app. Sets everything up first.
#
# Without CARTO_DATABASE_URL: the demonstration, in a store of its own
# (data/demo/store.sqlite, fictitious data and demo accounts), loaded if absent. The real
# store (data/store/) is never touched.
# With CARTO_DATABASE_URL: that store is served as it is; nothing is loaded into it (no demo
# data, no demo account).
source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh" app
if [ -z "${CARTO_DATABASE_URL:-}" ]; then
  export CARTO_DEMO=1
  .venv/bin/cartography demo --if-empty
fi
exec .venv/bin/cartography serve "$@"
