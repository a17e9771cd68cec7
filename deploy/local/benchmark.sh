#!/usr/bin/env bash
# Builds and runs a benchmark (release build) against the project-local PostgreSQL and
# RabbitMQ, with the test environment. The first argument picks the benchmark; without one it
# is the event pipeline. The other arguments go to the benchmark:
#   deploy/local/benchmark.sh --help                          # event pipeline (the default)
#   deploy/local/benchmark.sh event-pipeline --events 20000
#   deploy/local/benchmark.sh attendance [marking|records|all] --runs 2
#
# The event pipeline runs once per CPU layout (lib.sh: shared, broker-apart), both by default;
# --layout shared or --layout broker-apart runs one. The layout is undone at the end.
# Results are recorded in BENCHMARKS.md.
set -euo pipefail
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

product=event-pipeline-benchmark
case "${1:-}" in
    event-pipeline) shift ;;
    attendance) product=attendance-benchmark; shift ;;
esac

layouts=(shared broker-apart)
(($(lb_cpu_count) >= 2)) || layouts=(shared)
arguments=()
while (($#)); do
    case "$1" in
        --layout)
            [[ "$product" == event-pipeline-benchmark ]] || lb_die "--layout is an option of the event pipeline benchmark"
            case "${2:-}" in
                shared | broker-apart) layouts=("$2") ;;
                both) layouts=(shared broker-apart) ;;
                *) lb_die "--layout takes shared, broker-apart or both, not '${2:-}'" ;;
            esac
            shift 2 ;;
        --help)
            [[ "$product" == event-pipeline-benchmark ]] && echo "deploy/local/benchmark.sh: --layout shared|broker-apart|both (both)"
            layouts=(shared); arguments+=("$1"); shift ;; # the benchmark's usage, once
        *) arguments+=("$1"); shift ;;
    esac
done

prepare_test_infrastructure
export_test_env

cd "$ROOT"
lb_log "swift build -c release --product $product"
swift build -c release --product "$product"
BIN="$(swift build -c release --show-bin-path)"
[[ "$product" == event-pipeline-benchmark ]] || exec "$BIN/$product" "${arguments[@]}"

trap 'lb_apply_cpu_layout shared' EXIT
for layout in "${layouts[@]}"; do
    lb_apply_cpu_layout "$layout"
    cores="$(lb_benchmark_cores "$layout")"
    if [[ "$layout" == broker-apart ]]; then
        lb_log "CPU layout broker-apart: RabbitMQ alone on core 0; PostgreSQL and the benchmark on cores $cores"
    else
        lb_log "CPU layout shared: RabbitMQ, PostgreSQL and the benchmark on cores $cores"
    fi
    taskset -c "$cores" "$BIN/$product" "${arguments[@]}"
done
