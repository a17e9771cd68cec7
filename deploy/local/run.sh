#!/usr/bin/env bash
# Starts the whole Learnbridge system locally, with demo data:
# installs PostgreSQL, RabbitMQ and the C libraries from Debian packages if missing, starts
# the project-local PostgreSQL and RabbitMQ (state in .local/), builds the package and
# starts the seven services. Safe to run again: running services are restarted.
#   deploy/local/run.sh                       # debug build
#   CONFIGURATION=release deploy/local/run.sh
#   LEARNBRIDGE_BIN_DIR=/path/to/bin deploy/local/run.sh   # use prebuilt executables
# Stop everything with deploy/local/stop.sh.
set -euo pipefail
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

CONFIGURATION="${CONFIGURATION:-debug}"
READY_TIMEOUT_SECONDS="${READY_TIMEOUT_SECONDS:-90}"

ensure_packages
start_postgres
start_rabbitmq
setup_databases

cd "$ROOT"
if [[ -n "${LEARNBRIDGE_BIN_DIR:-}" ]]; then
    # Prebuilt executables (e.g. from an earlier build): no build step.
    BIN="$LEARNBRIDGE_BIN_DIR"
else
    lb_log "building ($CONFIGURATION)"
    swift build -c "$CONFIGURATION"
    BIN="$(swift build -c "$CONFIGURATION" --show-bin-path)"
fi
for name in "${LB_SERVICES[@]}"; do
    [[ -x "$BIN/$name" ]] || lb_die "the build produced no executable $BIN/$name"
done

mkdir -p "$LOG_DIR" "$RUN_DIR" "$MAIL_DIR"
stop_services

start_service() {
    local name="$1" env_lines=() line
    while IFS= read -r line; do env_lines+=("$line"); done < <(service_env "$name")
    {
        printf '\n===== %s starting %s =====\n' "$(date -u +%FT%TZ)" "$name"
    } >>"$LOG_DIR/$name.log"
    (
        cd "$ROOT"
        exec env "${env_lines[@]}" setsid "$BIN/$name" </dev/null >>"$LOG_DIR/$name.log" 2>&1
    ) &
    echo $! >"$RUN_DIR/$name.pid"
    disown 2>/dev/null || true
    lb_log "started $name (pid $(cat "$RUN_DIR/$name.pid"), http://127.0.0.1:$(service_port "$name"), log: $LOG_DIR/$name.log)"
}

wait_ready() {
    local name="$1" port deadline
    port="$(service_port "$name")"
    deadline=$((SECONDS + READY_TIMEOUT_SECONDS))
    while ((SECONDS < deadline)); do
        if [[ -z "$(lb_service_pid "$name")" ]]; then
            tail -n 40 "$LOG_DIR/$name.log" >&2 || true
            lb_die "$name exited during start-up (log above: $LOG_DIR/$name.log)"
        fi
        if [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/health/ready" || true)" == 200 ]]; then
            lb_log "$name is ready"
            return 0
        fi
        sleep 0.5
    done
    tail -n 40 "$LOG_DIR/$name.log" >&2 || true
    lb_die "$name did not answer 200 on http://127.0.0.1:$port/health/ready within ${READY_TIMEOUT_SECONDS}s (log above: $LOG_DIR/$name.log)"
}

# Demo data: identity's organisations, users and learners, then attendance's courses, placements,
# lessons and marked registers (which waits for identity's learners to reach it through the
# broker). Each service seeds only if its executable offers the `seed-demo` command.
seed_demo_data() {
    local name env_lines line help
    for name in identity attendance; do
        env_lines=()
        while IFS= read -r line; do env_lines+=("$line"); done < <(service_env "$name")
        help="$(timeout 10 env "${env_lines[@]}" "$BIN/$name" --help </dev/null 2>&1 || true)"
        if ! grep -q 'seed-demo' <<<"$help"; then
            lb_log "no $name demo data: this build has no seed-demo command"
            continue
        fi
        lb_log "seeding demo data ($name seed-demo)"
        # Demo data is refused unless asked for explicitly, so production configuration can never seed it.
        env "${env_lines[@]}" LEARNBRIDGE_DEMO_DATA=yes "$BIN/$name" seed-demo </dev/null
    done
}

for name in "${LB_SERVICES[@]}"; do
    start_service "$name"
done
for name in "${LB_SERVICES[@]}"; do
    wait_ready "$name"
done
seed_demo_data

cat <<EOF

Learnbridge is running: http://127.0.0.1:$(service_port gateway)
  services:  $(for n in "${LB_SERVICES[@]}"; do printf '%s:%s ' "$n" "$(service_port "$n")"; done)
  logs:      $LOG_DIR/<service>.log     mail (file transport): $MAIL_DIR
  database:  psql "host=127.0.0.1 port=$DATABASE_PORT dbname=learnbridge user=identity password=identity"
  broker:    amqp://learnbridge:learnbridge@127.0.0.1:$AMQP_PORT/learnbridge
Stop everything with: deploy/local/stop.sh
EOF
