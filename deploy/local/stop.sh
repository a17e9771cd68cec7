#!/usr/bin/env bash
# Stops everything deploy/local/run.sh (or test.sh) started: the seven services, the
# project-local RabbitMQ node and PostgreSQL cluster. Their data stays in .local/.
#   deploy/local/stop.sh              # everything
#   deploy/local/stop.sh services     # only the services; keep PostgreSQL and RabbitMQ
set -euo pipefail
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

case "${1:-all}" in
    all) stop_all ;;
    services) stop_services ;;
    *) echo "usage: $0 [all|services]" >&2; exit 2 ;;
esac
lb_log "stopped"
