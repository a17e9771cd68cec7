#!/usr/bin/env bash
# Simulates a broker outage for tests: stop|start|restart the RabbitMQ application of the
# project-local node (the Erlang node stays up; durable quorum queues keep their messages).
#   deploy/local/broker-control.sh restart
# Tests find this script through LEARNBRIDGE_BROKER_CONTROL.
set -euo pipefail
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
broker_control "$@"
