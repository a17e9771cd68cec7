#!/usr/bin/env bash
# Builds and runs the event-pipeline benchmark (release build) against the project-local
# PostgreSQL and RabbitMQ, with the test environment. Arguments go to the benchmark:
#   deploy/local/benchmark.sh --help
# Results are recorded in BENCHMARKS.md.
set -euo pipefail
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

prepare_test_infrastructure
export_test_env

cd "$ROOT"
lb_log "swift build -c release --product event-pipeline-benchmark"
swift build -c release --product event-pipeline-benchmark
BIN="$(swift build -c release --show-bin-path)"
exec "$BIN/event-pipeline-benchmark" "$@"
