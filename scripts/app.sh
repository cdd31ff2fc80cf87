#!/usr/bin/env bash
# Start the app. Sets everything up first, saying each step (see _venv.sh).
#
# Without CARTO_DATABASE_URL: the demonstration, in a store of its own
# (data/demo/store.sqlite, fictitious data and demo accounts), loaded if absent. The real
# store (data/store/) is never touched.
# With CARTO_DATABASE_URL: that store is served as it is; nothing is loaded into it (no demo
# data, no demo account).
#
# Options go to `cartography serve`: --port N (default 8501), --address A (default 127.0.0.1,
# this computer only). The demo accounts' passwords are public: serve the demo on 127.0.0.1 or a
# trusted network only.
source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh" app
declare -F step >/dev/null || step() { printf '\n==> %s\n    %s\n' "$1" "$2"; }
if [ -z "${CARTO_DATABASE_URL:-}" ]; then
  export CARTO_DEMO=1
  step "Chargement des données de démonstration (fictives), si absentes…" \
       "Loading the demonstration data (fictitious), if absent..."
  .venv/bin/cartography demo --if-empty
fi
address=127.0.0.1
port=8501
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --port) port="${args[i + 1]:-$port}" ;;
    --port=*) port="${args[i]#--port=}" ;;
    --address) address="${args[i + 1]:-$address}" ;;
    --address=*) address="${args[i]#--address=}" ;;
  esac
done
shown=$address
[ "$address" = 0.0.0.0 ] && shown="$(hostname -f 2>/dev/null || hostname)"
step "Démarrage du serveur : ouvrez http://$shown:$port (Ctrl+C pour arrêter)…" \
     "Starting the server: open http://$shown:$port (Ctrl+C to stop)..."
if [ -z "${CARTO_DATABASE_URL:-}" ] && [ "$address" != 127.0.0.1 ] && [ "$address" != localhost ]; then
  step "Attention : démonstration ouverte au réseau ; ses mots de passe sont publics (réseau de confiance seulement)." \
       "Warning: the demo is open to the network; its passwords are public (trusted network only)."
fi
exec .venv/bin/cartography serve "$@"
