#!/usr/bin/env bash
# Builds and runs a benchmark (release build) against the project-local PostgreSQL and
# RabbitMQ, with the test environment. The first argument picks the benchmark; without one it
# is the event pipeline. The other arguments go to the benchmark:
#   deploy/local/benchmark.sh --help                          # event pipeline (the default)
#   deploy/local/benchmark.sh event-pipeline --events 20000
#   deploy/local/benchmark.sh attendance [marking|records|all] --runs 2
# Results are recorded in BENCHMARKS.md.
set -euo pipefail
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

product=event-pipeline-benchmark
case "${1:-}" in
    event-pipeline) shift ;;
    attendance) product=attendance-benchmark; shift ;;
esac

prepare_test_infrastructure
export_test_env

cd "$ROOT"
lb_log "swift build -c release --product $product"
swift build -c release --product "$product"
BIN="$(swift build -c release --show-bin-path)"
exec "$BIN/$product" "$@"
