# shellcheck shell=bash
# Learnbridge local environment: shared functions for deploy/local/*.sh.
#
#   source deploy/local/lib.sh
#   ensure_packages; start_postgres; start_rabbitmq; setup_databases
#
# Sourcing this file only defines variables and functions; it starts nothing.
# Everything runs as root (as on CI); PostgreSQL itself runs as the `postgres` OS user.
# All state lives in $ROOT/.local (git-ignored):
#   .local/postgres/{data,socket,postgres.log}   project-local PostgreSQL cluster
#   .local/rabbitmq/{mnesia,log,home,...}         project-local RabbitMQ node
#   .local/logs/<service>.log  .local/run/<service>.pid  .local/mail/  .local/venv/
#   .local/filetransfer/{files,master-key}        encrypted files and the local master key
#
# Local-only credentials (never use them anywhere else):
#   PostgreSQL: superuser `postgres` over the unix socket in .local/postgres/socket (trust);
#               per service a role named like the service with the service name as password
#               (identity/identity, ...); learnbridge_test/learnbridge_test for the tests.
#   RabbitMQ:   user learnbridge/learnbridge on vhosts learnbridge and learnbridge_test.
#
# The scripts that source this file run with `set -euo pipefail`; the functions expect it.
# (This file does not set it itself, so that sourcing it into an interactive shell is harmless.)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
STATE_DIR="${LEARNBRIDGE_STATE_DIR:-$ROOT/.local}"
# PostgreSQL's folder; lb_pg_paths may move it (see there).
PG_DIR="${LEARNBRIDGE_PG_DIR:-$STATE_DIR/postgres}"
PG_DATA="$PG_DIR/data"
PG_SOCKET_DIR="$PG_DIR/socket"
PG_LOG="$PG_DIR/postgres.log"
RABBIT_DIR="$STATE_DIR/rabbitmq"
LOG_DIR="$STATE_DIR/logs"
RUN_DIR="$STATE_DIR/run"
MAIL_DIR="$STATE_DIR/mail"
# The filetransfer service's encrypted files.
FILES_DIR="$STATE_DIR/filetransfer/files"
VENV_DIR="$STATE_DIR/venv"

DATABASE_PORT="${DATABASE_PORT:-5432}"
AMQP_PORT="${AMQP_PORT:-5672}"
RABBITMQ_DIST_PORT="${RABBITMQ_DIST_PORT:-$((AMQP_PORT + 20000))}"
RABBITMQ_MANAGEMENT_PORT="${RABBITMQ_MANAGEMENT_PORT:-15672}"
RABBITMQ_NODE="learnbridge@localhost"
RABBITMQ_BIN_DIR="/usr/lib/rabbitmq/bin"

# Every executable, in start order; the gateway has no database.
LB_SERVICES=(identity attendance progression reporting filetransfer notifier gateway)
LB_DATABASE_SERVICES=(identity attendance progression reporting filetransfer notifier)
LB_HTTP_SERVICES=(gateway identity attendance progression reporting filetransfer)

lb_log() { printf '==> %s\n' "$*" >&2; }
lb_warn() { printf 'warning: %s\n' "$*" >&2; }
lb_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

service_port() {
    case "$1" in
        gateway) echo 8080 ;;
        identity) echo 8081 ;;
        attendance) echo 8082 ;;
        progression) echo 8083 ;;
        reporting) echo 8084 ;;
        filetransfer) echo 8085 ;;
        notifier) echo 8086 ;;
        *) lb_die "unknown service: $1" ;;
    esac
}

# The environment of one service, as KEY=VALUE lines. These names are the contract shared
# with docker-compose.yml and deploy/k8s (checked by Tests/deploy/test_manifests.py).
service_env() {
    local name="$1" port
    port="$(service_port "$name")"
    echo "HTTP_HOST=127.0.0.1"
    echo "HTTP_PORT=$port"
    echo "AMQP_URL=amqp://learnbridge:learnbridge@127.0.0.1:$AMQP_PORT/learnbridge"
    echo "JWKS_URL=http://127.0.0.1:$(service_port identity)/.well-known/jwks.json"
    echo "LOG_LEVEL=${LOG_LEVEL:-info}"
    echo "LOG_FORMAT=${LOG_FORMAT:-text}"
    if [[ "$name" == gateway ]]; then
        echo "IDENTITY_URL=http://127.0.0.1:$(service_port identity)"
        echo "ATTENDANCE_URL=http://127.0.0.1:$(service_port attendance)"
        echo "PROGRESSION_URL=http://127.0.0.1:$(service_port progression)"
        echo "REPORTING_URL=http://127.0.0.1:$(service_port reporting)"
        echo "FILETRANSFER_URL=http://127.0.0.1:$(service_port filetransfer)"
        echo "GATEWAY_TIMEOUT_SECONDS=${GATEWAY_TIMEOUT_SECONDS:-30}"
        echo "GATEWAY_FILES_TIMEOUT_SECONDS=${GATEWAY_FILES_TIMEOUT_SECONDS:-3600}"
        echo "LOGIN_RATE_LIMIT_PER_MINUTE=${LOGIN_RATE_LIMIT_PER_MINUTE:-10}"
    else
        echo "DATABASE_HOST=127.0.0.1"
        echo "DATABASE_PORT=$DATABASE_PORT"
        echo "DATABASE_NAME=learnbridge"
        echo "DATABASE_USER=$name"
        echo "DATABASE_PASSWORD=$name"
        echo "DATABASE_SCHEMA=$name"
    fi
    if [[ "$name" == attendance ]]; then
        echo "REGISTER_GRACE_MINUTES=${REGISTER_GRACE_MINUTES:-30}"
        echo "REGISTER_OVERDUE_CHECK_SECONDS=${REGISTER_OVERDUE_CHECK_SECONDS:-60}"
        echo "ALERT_CONSECUTIVE_ABSENCES=${ALERT_CONSECUTIVE_ABSENCES:-3}"
        echo "ALERT_ATTENDANCE_THRESHOLD_PERCENT=${ALERT_ATTENDANCE_THRESHOLD_PERCENT:-90}"
        echo "ALERT_MINIMUM_SESSIONS=${ALERT_MINIMUM_SESSIONS:-6}"
    fi
    if [[ "$name" == filetransfer ]]; then
        echo "FILE_MASTER_KEY=${FILE_MASTER_KEY:-$(local_file_master_key)}"
        echo "FILE_STORAGE_DIRECTORY=${FILE_STORAGE_DIRECTORY:-$FILES_DIR}"
        echo "FILE_MAX_UPLOAD_BYTES=${FILE_MAX_UPLOAD_BYTES:-2147483648}"
        echo "FILE_RETENTION_AFTER_DOWNLOAD_DAYS=${FILE_RETENTION_AFTER_DOWNLOAD_DAYS:-30}"
        echo "FILE_RETENTION_UNDOWNLOADED_DAYS=${FILE_RETENTION_UNDOWNLOADED_DAYS:-90}"
        echo "FILE_EXPIRY_CHECK_SECONDS=${FILE_EXPIRY_CHECK_SECONDS:-3600}"
    fi
    if [[ "$name" == notifier ]]; then
        echo "MAIL_TRANSPORT=${MAIL_TRANSPORT:-file}"
        echo "MAIL_DIRECTORY=$MAIL_DIR"
        echo "SMTP_URL=${SMTP_URL:-smtp://127.0.0.1:1025}"
        echo "MAIL_FROM=${MAIL_FROM:-no-reply@learnbridge.local}"
        echo "PUBLIC_BASE_URL=${PUBLIC_BASE_URL:-http://127.0.0.1:8080}"
    fi
}

# The local filetransfer master key ("local:<base64 of 32 random bytes>"), made once and kept in
# .local/filetransfer/master-key: the same key across restarts, or the stored files could not be read.
local_file_master_key() {
    local file="$STATE_DIR/filetransfer/master-key"
    if [[ ! -s "$file" ]]; then
        mkdir -p "$(dirname "$file")"
        (umask 077 && printf 'local:%s\n' "$(head -c 32 /dev/urandom | base64 -w0)" > "$file")
    fi
    cat "$file"
}

# The environment of the test suites (swift test, benchmark), as KEY=VALUE lines.
test_env() {
    echo "TEST_DATABASE_HOST=127.0.0.1"
    echo "TEST_DATABASE_PORT=$DATABASE_PORT"
    echo "TEST_DATABASE_NAME=learnbridge_test"
    echo "TEST_DATABASE_USER=learnbridge_test"
    echo "TEST_DATABASE_PASSWORD=learnbridge_test"
    echo "TEST_AMQP_URL=amqp://learnbridge:learnbridge@127.0.0.1:$AMQP_PORT/learnbridge_test"
    echo "LEARNBRIDGE_BROKER_CONTROL=$ROOT/deploy/local/broker-control.sh"
    # The Python with aiosmtpd, the SMTP server the notifier's tests send to.
    echo "TEST_PYTHON=$VENV_DIR/bin/python"
}

export_test_env() {
    local line
    while IFS= read -r line; do
        export "${line?}"
    done < <(test_env)
}

# What tests, the benchmark and infra.sh need: packages, both servers running, databases
# and roles created, the mail folder. Progress goes to stderr.
prepare_test_infrastructure() {
    ensure_packages >&2
    start_postgres >&2
    start_rabbitmq >&2
    setup_databases >&2
    mkdir -p "$MAIL_DIR"
}

# ---------------------------------------------------------------------------------------
# Debian packages

lb_pg_bindir() {
    local version="${1:-}" dir
    if [[ -n "$version" ]]; then
        dir="/usr/lib/postgresql/$version/bin"
        [[ -x "$dir/postgres" ]] || lb_die "the cluster in $PG_DATA was made by PostgreSQL $version, whose binaries ($dir) are not installed"
        echo "$dir"
        return
    fi
    dir="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)"
    [[ -n "$dir" && -x "$dir/initdb" ]] || lb_die "PostgreSQL server binaries not found under /usr/lib/postgresql (run ensure_packages)"
    echo "$dir"
}

ensure_packages() {
    local missing=() pkg
    local wanted=(rabbitmq-server librabbitmq-dev libcurl4-openssl-dev pkg-config curl ca-certificates
        iproute2 procps python3 python3-venv)
    for pkg in "${wanted[@]}"; do
        dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null | grep -qx installed || missing+=("$pkg")
    done
    # Any installed PostgreSQL server (15 on Debian 12) will do; the client comes with it.
    if ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || ! command -v psql >/dev/null; then
        missing+=(postgresql)
    fi
    if ((${#missing[@]} == 0)); then
        return 0
    fi
    [[ "$(id -u)" == 0 ]] || lb_die "missing Debian packages (${missing[*]}); run as root or install them"
    lb_log "installing Debian packages: ${missing[*]}"
    # Keep the packages' own system services from starting (ours run project-locally).
    local added_policy=0
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        added_policy=1
    fi
    local rc=0
    {
        DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
    } </dev/null || rc=$?
    if ((added_policy)); then rm -f /usr/sbin/policy-rc.d; fi
    ((rc == 0)) || lb_die "apt-get install ${missing[*]} failed"
}

# ---------------------------------------------------------------------------------------
# Helpers

# pid of the process listening on 127.0.0.1:PORT (or any address), empty if none.
lb_listener_pid() {
    ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2 || true
}

lb_port_in_use() {
    [[ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]]
}

lb_as_postgres() {
    # A directory the postgres user can enter, so that tools do not complain about the cwd.
    (cd / && runuser -u postgres -- "$@")
}

# ---------------------------------------------------------------------------------------
# PostgreSQL (project-local cluster, run as the postgres OS user)

lb_pg_write_config() {
    cat >"$PG_DATA/learnbridge.conf" <<EOF
# Written by deploy/local/lib.sh on every start; edit there.
listen_addresses = '127.0.0.1'
port = $DATABASE_PORT
unix_socket_directories = '$PG_SOCKET_DIR'
max_connections = 300
password_encryption = 'scram-sha-256'
timezone = 'UTC'
log_timezone = 'UTC'
logging_collector = off
log_min_messages = warning
log_line_prefix = '%m [%p] %q%u@%d '
EOF
    cat >"$PG_DATA/pg_hba.conf" <<'EOF'
# Written by deploy/local/lib.sh. TYPE DATABASE USER ADDRESS METHOD
# The superuser may log in without a password, only through the project-local unix socket.
local   all   postgres                  trust
local   all   all                       scram-sha-256
host    all   all        127.0.0.1/32   scram-sha-256
host    all   all        ::1/128        scram-sha-256
EOF
    if ! grep -q "^include_if_exists = 'learnbridge.conf'" "$PG_DATA/postgresql.conf"; then
        printf "\ninclude_if_exists = 'learnbridge.conf'\n" >>"$PG_DATA/postgresql.conf"
    fi
    chown postgres:postgres "$PG_DATA/learnbridge.conf" "$PG_DATA/pg_hba.conf"
}

# PostgreSQL runs as the postgres OS user, which must reach its folder. If the project sits
# below a folder closed to other users (e.g. /root), or the socket path would be too long
# for a unix socket, the cluster lives in /var/lib/postgresql/learnbridge/<hash of the
# project path> instead, with a symlink .local/postgres pointing there.
lb_pg_paths() {
    [[ -z "${LEARNBRIDGE_PG_DIR:-}" ]] || return 0
    local dir="$STATE_DIR/postgres"
    mkdir -p "$STATE_DIR"
    if ! id postgres >/dev/null 2>&1 ||
        { lb_as_postgres test -x "$STATE_DIR" && ((${#dir} + 24 <= 100)); }; then
        if [[ -L "$dir" ]]; then rm -f "$dir"; fi
    else
        local hash
        hash="$(printf '%s' "$STATE_DIR" | sha256sum | cut -c1-12)"
        dir="/var/lib/postgresql/learnbridge/$hash"
        mkdir -p "$dir"
        chown postgres:postgres /var/lib/postgresql/learnbridge "$dir"
        if [[ ! -L "$STATE_DIR/postgres" ]]; then
            rm -rf "$STATE_DIR/postgres"
            ln -s "$dir" "$STATE_DIR/postgres"
        fi
    fi
    PG_DIR="$dir"
    PG_DATA="$PG_DIR/data"
    PG_SOCKET_DIR="$PG_DIR/socket"
    PG_LOG="$PG_DIR/postgres.log"
}

lb_pg_running() { # is our cluster running (by its postmaster.pid)?
    local bin="$1"
    [[ -f "$PG_DATA/postmaster.pid" ]] && lb_as_postgres "$bin/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1
}

lb_pg_ready() {
    pg_isready -q -h 127.0.0.1 -p "$DATABASE_PORT" -t 2 >/dev/null 2>&1
}

# Another project-local Learnbridge cluster (e.g. from another clone) holding our port is
# stopped; anything else is an error the user must resolve.
lb_pg_free_port() {
    lb_port_in_use "$DATABASE_PORT" || return 0
    local pid cwd
    pid="$(lb_listener_pid "$DATABASE_PORT")"
    cwd="$( [[ -n "$pid" ]] && readlink "/proc/$pid/cwd" 2>/dev/null || true)"
    # Ours are recognisable by learnbridge.conf in the data folder (or, if that folder was
    # deleted under a running server, by its path).
    if [[ -n "$pid" ]] && { [[ -f "$cwd/learnbridge.conf" ]] ||
        [[ "$cwd" == *" (deleted)" && ("$cwd" == */postgres/data* || "$cwd" == */learnbridge/*/data*) ]]; }; then
        lb_warn "port $DATABASE_PORT is held by another Learnbridge PostgreSQL ($cwd, pid $pid); stopping it"
        if [[ -f "$cwd/postmaster.pid" ]]; then
            local other_bin
            other_bin="$(lb_pg_bindir "$(cat "$cwd/PG_VERSION")")"
            lb_as_postgres "$other_bin/pg_ctl" -D "$cwd" -m fast -w stop || kill -INT "$pid" || true
        else
            kill -INT "$pid" || true
        fi
        local i
        for ((i = 0; i < 60; i++)); do
            lb_port_in_use "$DATABASE_PORT" || return 0
            sleep 0.5
        done
    fi
    lb_die "port $DATABASE_PORT is already in use by another program (pid ${pid:-?}, ${cwd:-unknown}).
Stop it (a Debian cluster: pg_ctlcluster 15 main stop) or choose another port: DATABASE_PORT=5433 $0"
}

start_postgres() {
    id postgres >/dev/null 2>&1 || lb_die "the postgres OS user does not exist (run ensure_packages)"
    lb_pg_paths
    mkdir -p "$PG_DIR" "$PG_SOCKET_DIR"
    chown postgres:postgres "$PG_DIR" "$PG_SOCKET_DIR"
    chmod 700 "$PG_DIR"
    chmod 755 "$PG_SOCKET_DIR"
    if ! lb_as_postgres test -w "$PG_DIR"; then
        lb_die "the postgres OS user cannot reach $PG_DIR.
Set LEARNBRIDGE_PG_DIR to a folder the postgres user can reach."
    fi

    local bin
    if [[ ! -s "$PG_DATA/PG_VERSION" ]]; then
        bin="$(lb_pg_bindir)"
        lb_log "initialising PostgreSQL cluster in $PG_DATA ($bin)"
        rm -rf "$PG_DATA"
        lb_as_postgres "$bin/initdb" -D "$PG_DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
            --auth-local=trust --auth-host=scram-sha-256 >"$PG_DIR/initdb.log" 2>&1 ||
            { cat "$PG_DIR/initdb.log" >&2; lb_die "initdb failed"; }
    fi
    bin="$(lb_pg_bindir "$(cat "$PG_DATA/PG_VERSION")")"

    if lb_pg_running "$bin"; then
        if lb_pg_ready && [[ -S "$PG_SOCKET_DIR/.s.PGSQL.$DATABASE_PORT" ]]; then
            lb_log "PostgreSQL already running (127.0.0.1:$DATABASE_PORT, $PG_DATA)"
            lb_pg_write_config
            lb_as_postgres "$bin/pg_ctl" -D "$PG_DATA" reload >/dev/null
            return 0
        fi
        lb_log "PostgreSQL is running with another configuration; restarting it"
        lb_as_postgres "$bin/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
    fi

    lb_pg_free_port
    lb_pg_write_config
    touch "$PG_LOG"
    chown postgres:postgres "$PG_LOG"
    lb_log "starting PostgreSQL on 127.0.0.1:$DATABASE_PORT (log: $PG_LOG)"
    if ! lb_as_postgres "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 start >/dev/null; then
        tail -n 30 "$PG_LOG" >&2 || true
        lb_die "PostgreSQL did not start"
    fi
    local i
    for ((i = 0; i < 60; i++)); do
        lb_pg_ready && return 0
        sleep 0.5
    done
    tail -n 30 "$PG_LOG" >&2 || true
    lb_die "PostgreSQL did not become ready on 127.0.0.1:$DATABASE_PORT"
}

stop_postgres() {
    lb_pg_paths
    [[ -s "$PG_DATA/PG_VERSION" ]] || return 0
    local bin
    bin="$(lb_pg_bindir "$(cat "$PG_DATA/PG_VERSION")")"
    if lb_pg_running "$bin"; then
        lb_log "stopping PostgreSQL"
        lb_as_postgres "$bin/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null
    fi
}

# psql as the superuser through the project-local socket: psql_superuser -d learnbridge -c '...'
psql_superuser() {
    lb_pg_paths
    PGHOST="$PG_SOCKET_DIR" PGPORT="$DATABASE_PORT" PGUSER=postgres psql -X -v ON_ERROR_STOP=1 "$@"
}

setup_databases() {
    lb_pg_paths
    lb_log "creating databases, roles and schemas (deploy/postgres/setup-databases.sh)"
    PGHOST="$PG_SOCKET_DIR" PGPORT="$DATABASE_PORT" PGUSER=postgres \
        DATABASE_NAME=learnbridge CREATE_TEST_DATABASE=1 \
        TEST_DATABASE_NAME=learnbridge_test TEST_DATABASE_USER=learnbridge_test \
        TEST_DATABASE_PASSWORD=learnbridge_test \
        LEARNBRIDGE_DATABASE_SERVICES="${LB_DATABASE_SERVICES[*]}" \
        bash "$ROOT/deploy/postgres/setup-databases.sh" >&2
}

# ---------------------------------------------------------------------------------------
# RabbitMQ (project-local node learnbridge@localhost, run as root with a project-local HOME)

lb_rabbit_env() {
    local -n _out="$1"
    _out=(
        "HOME=$RABBIT_DIR/home"
        "LC_ALL=C.UTF-8"
        "LANG=C.UTF-8"
        "RABBITMQ_NODENAME=$RABBITMQ_NODE"
        "RABBITMQ_USE_LONGNAME=false"
        "RABBITMQ_NODE_IP_ADDRESS=127.0.0.1"
        "RABBITMQ_NODE_PORT=$AMQP_PORT"
        "RABBITMQ_DIST_PORT=$RABBITMQ_DIST_PORT"
        "RABBITMQ_MNESIA_BASE=$RABBIT_DIR/mnesia"
        "RABBITMQ_LOG_BASE=$RABBIT_DIR/log"
        "RABBITMQ_PID_FILE=$RABBIT_DIR/rabbitmq.pid"
        "RABBITMQ_ENABLED_PLUGINS_FILE=$RABBIT_DIR/enabled_plugins"
        "RABBITMQ_CONFIG_FILE=$RABBIT_DIR/rabbitmq.conf"
        "RABBITMQ_ADVANCED_CONFIG_FILE=$RABBIT_DIR/advanced.config"
        "RABBITMQ_CONF_ENV_FILE=$RABBIT_DIR/rabbitmq-env.conf"
        "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=-kernel inet_dist_use_interface {127,0,0,1}"
        "ERL_EPMD_ADDRESS=127.0.0.1"
    )
}

# rabbitmqctl against the project-local node: rabbitmqctl_local list_queues -p learnbridge_test
rabbitmqctl_local() {
    local rabbit_env
    lb_rabbit_env rabbit_env
    (cd "$RABBIT_DIR" && env "${rabbit_env[@]}" "$RABBITMQ_BIN_DIR/rabbitmqctl" "$@")
}

rabbitmq_plugins_local() {
    local rabbit_env
    lb_rabbit_env rabbit_env
    (cd "$RABBIT_DIR" && env "${rabbit_env[@]}" "$RABBITMQ_BIN_DIR/rabbitmq-plugins" "$@")
}

lb_rabbit_write_config() {
    mkdir -p "$RABBIT_DIR/home" "$RABBIT_DIR/mnesia" "$RABBIT_DIR/log"
    chmod 700 "$RABBIT_DIR/home"
    if [[ ! -s "$RABBIT_DIR/home/.erlang.cookie" ]]; then
        local cookie
        # shellcheck disable=SC2019 # ASCII on purpose (LC_ALL=C)
        cookie="$(LC_ALL=C tr -dc 'A-Z' < <(head -c 4096 /dev/urandom))"
        (umask 077 && printf '%s' "${cookie:0:32}" >"$RABBIT_DIR/home/.erlang.cookie")
    fi
    chmod 400 "$RABBIT_DIR/home/.erlang.cookie"
    : >"$RABBIT_DIR/rabbitmq-env.conf" # keeps /etc/rabbitmq/rabbitmq-env.conf out
    # The management plugin is off by default: it makes `broker_control stop` ~5 s slower.
    # RABBITMQ_MANAGEMENT=1 turns it on (takes effect when the node starts: stop.sh first).
    if [[ "${RABBITMQ_MANAGEMENT:-0}" == 1 ]]; then
        echo '[rabbitmq_management].' >"$RABBIT_DIR/enabled_plugins"
    else
        echo '[].' >"$RABBIT_DIR/enabled_plugins"
    fi
    echo '[].' >"$RABBIT_DIR/advanced.config"
    cat >"$RABBIT_DIR/rabbitmq.conf" <<EOF
# Written by deploy/local/lib.sh on every start; edit there.
# AMQP listener: RABBITMQ_NODE_IP_ADDRESS/RABBITMQ_NODE_PORT (127.0.0.1:$AMQP_PORT).
management.tcp.ip = 127.0.0.1
management.tcp.port = $RABBITMQ_MANAGEMENT_PORT
log.console = false
log.file.level = info
disk_free_limit.absolute = 200MB
vm_memory_high_watermark.relative = 0.4
EOF
}

lb_rabbit_alive() { # does our node answer (with our cookie)?
    rabbitmqctl_local -q ping >/dev/null 2>&1
}

lb_rabbit_wait() {
    local i
    # await_startup needs a reachable node: first wait for the node to answer at all.
    for ((i = 0; i < 120; i++)); do
        lb_rabbit_alive && break
        sleep 1
    done
    if ! rabbitmqctl_local -q await_startup --timeout 120 >/dev/null 2>&1; then
        tail -n 40 "$RABBIT_DIR/log/$RABBITMQ_NODE.log" "$RABBIT_DIR/log/startup.log" >&2 2>/dev/null || true
        lb_die "RabbitMQ did not start (logs in $RABBIT_DIR/log)"
    fi
}

# Another project-local Learnbridge node (e.g. from another clone) holding our port or node
# name is stopped; anything else is an error the user must resolve.
lb_rabbit_free_port() {
    local port pid environ
    for port in "$AMQP_PORT" "$RABBITMQ_DIST_PORT"; do
        lb_port_in_use "$port" || continue
        pid="$(lb_listener_pid "$port")"
        environ="$( [[ -n "$pid" ]] && tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null || true)"
        if grep -qx "RABBITMQ_NODENAME=$RABBITMQ_NODE" <<<"$environ"; then
            lb_warn "port $port is held by another Learnbridge RabbitMQ node (pid $pid, $(grep '^RABBITMQ_MNESIA_BASE=' <<<"$environ")); stopping it"
            kill -TERM "$pid" || true
            local i
            for ((i = 0; i < 120; i++)); do
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.5
            done
            kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
            sleep 1
        fi
        lb_port_in_use "$port" &&
            lb_die "port $port is already in use by another program (pid ${pid:-?}); stop it or choose other ports (AMQP_PORT=5673)"
    done
    return 0
}

start_rabbitmq() {
    [[ -x "$RABBITMQ_BIN_DIR/rabbitmq-server" ]] || lb_die "RabbitMQ is not installed (run ensure_packages)"
    lb_rabbit_write_config
    if lb_rabbit_alive; then
        lb_log "RabbitMQ already running ($RABBITMQ_NODE, 127.0.0.1:$AMQP_PORT)"
        # The app may have been stopped with broker_control stop.
        rabbitmqctl_local -q start_app >/dev/null
    else
        lb_rabbit_free_port
        lb_log "starting RabbitMQ $RABBITMQ_NODE on 127.0.0.1:$AMQP_PORT (logs: $RABBIT_DIR/log)"
        local rabbit_env
        lb_rabbit_env rabbit_env
        # Detached from this shell: it keeps running after the script ends.
        (
            cd "$RABBIT_DIR" || exit 1
            exec env "${rabbit_env[@]}" setsid "$RABBITMQ_BIN_DIR/rabbitmq-server" \
                </dev/null >>"$RABBIT_DIR/log/startup.log" 2>&1
        ) &
        disown 2>/dev/null || true
    fi
    lb_rabbit_wait
    lb_rabbit_setup
}

lb_rabbit_setup() {
    local vhost
    local vhosts
    vhosts="$(rabbitmqctl_local -q list_vhosts name --no-table-headers 2>/dev/null || rabbitmqctl_local -q list_vhosts name)"
    for vhost in learnbridge learnbridge_test; do
        grep -qx "$vhost" <<<"$vhosts" || rabbitmqctl_local -q add_vhost "$vhost" >/dev/null
    done
    local users
    users="$(rabbitmqctl_local -q list_users --no-table-headers | awk '{print $1}')"
    if grep -qx learnbridge <<<"$users"; then
        rabbitmqctl_local -q authenticate_user learnbridge learnbridge >/dev/null 2>&1 ||
            rabbitmqctl_local -q change_password learnbridge learnbridge >/dev/null
    else
        rabbitmqctl_local -q add_user learnbridge learnbridge >/dev/null
    fi
    # administrator: with RABBITMQ_MANAGEMENT=1 the UI on 127.0.0.1:15672 takes learnbridge/learnbridge.
    rabbitmqctl_local -q set_user_tags learnbridge administrator >/dev/null
    for vhost in learnbridge learnbridge_test; do
        rabbitmqctl_local -q set_permissions -p "$vhost" learnbridge '.*' '.*' '.*' >/dev/null
    done
}

stop_rabbitmq() {
    local pid=""
    [[ -f "$RABBIT_DIR/rabbitmq.pid" ]] && pid="$(cat "$RABBIT_DIR/rabbitmq.pid" 2>/dev/null || true)"
    if lb_rabbit_alive; then
        lb_log "stopping RabbitMQ"
        rabbitmqctl_local -q stop >/dev/null 2>&1 || true
    fi
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
        local i
        for ((i = 0; i < 60; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.5
        done
        local environ
        environ="$(tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null || true)"
        if kill -0 "$pid" 2>/dev/null && grep -qx "RABBITMQ_MNESIA_BASE=$RABBIT_DIR/mnesia" <<<"$environ"; then
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    rm -f "$RABBIT_DIR/rabbitmq.pid"
}

# Stops/starts the RabbitMQ application (the Erlang node keeps running), as a broker outage
# for tests: durable (quorum) queues and their messages survive.
broker_control() {
    case "${1:-}" in
        stop)
            rabbitmqctl_local -q stop_app >/dev/null
            ;;
        start)
            if lb_rabbit_alive; then
                rabbitmqctl_local -q start_app >/dev/null
                lb_rabbit_wait
            else
                start_rabbitmq
            fi
            ;;
        restart)
            broker_control stop
            broker_control start
            ;;
        status)
            rabbitmqctl_local -q status >/dev/null 2>&1 && rabbitmqctl_local -q await_startup --timeout 1 >/dev/null 2>&1 &&
                echo running || { echo stopped; return 3; }
            ;;
        *)
            echo "usage: broker-control.sh stop|start|restart|status" >&2
            return 2
            ;;
    esac
}

# ---------------------------------------------------------------------------------------
# Python tooling for Tests/deploy

ensure_venv() {
    local requirements="$ROOT/Tests/deploy/requirements.txt"
    local stamp="$VENV_DIR/.requirements.sha256" want
    want="$(sha256sum "$requirements" | cut -d' ' -f1)"
    if [[ -x "$VENV_DIR/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
        return 0
    fi
    lb_log "creating Python venv in $VENV_DIR"
    if [[ ! -x "$VENV_DIR/bin/python" ]]; then
        rm -rf "$VENV_DIR"
        python3 -m venv "$VENV_DIR"
    fi
    "$VENV_DIR/bin/python" -m pip install -q --disable-pip-version-check -r "$requirements" </dev/null
    echo "$want" >"$stamp"
}

# ---------------------------------------------------------------------------------------
# Services

lb_service_pid() { # pid of our running service NAME, empty if not running
    local name="$1" pid
    [[ -f "$RUN_DIR/$name.pid" ]] || return 0
    pid="$(cat "$RUN_DIR/$name.pid" 2>/dev/null || true)"
    [[ -n "$pid" ]] || return 0
    # Only if that pid still runs our executable (pids are reused).
    local cmdline
    cmdline="$(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null || true)"
    if kill -0 "$pid" 2>/dev/null && grep -q "/$name\$" <<<"$cmdline"; then
        echo "$pid"
    fi
}

stop_service() {
    local name="$1" pid i
    pid="$(lb_service_pid "$name")"
    if [[ -n "$pid" ]]; then
        lb_log "stopping $name (pid $pid)"
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < 60; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.5
        done
        if kill -0 "$pid" 2>/dev/null; then
            lb_warn "$name did not stop in 30 s; killing it"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    rm -f "$RUN_DIR/$name.pid"
}

stop_services() {
    local i
    for ((i = ${#LB_SERVICES[@]} - 1; i >= 0; i--)); do
        stop_service "${LB_SERVICES[$i]}"
    done
}

stop_all() {
    stop_services
    stop_rabbitmq
    stop_postgres
}

# ---------------------------------------------------------------------------------------
# CPU layouts for benchmarks
#
# shared:       every process may run on every core (the default of the machine).
# broker-apart: the RabbitMQ node on core 0 and nothing else there; PostgreSQL and the benchmark
#               on the other cores. A deployment gives the broker nodes of its own; on a machine this
#               small, sharing lets a broker-only baseline borrow the cores the database and the
#               pipeline need, so the layout decides what a ratio against the broker means.

lb_cpu_count() { nproc --all; }

# The cores PostgreSQL and the benchmark process run on in a layout (a taskset list); the broker
# has every core in `shared` and core 0 alone in `broker-apart`.
lb_benchmark_cores() {
    local last=$(($(lb_cpu_count) - 1))
    case "$1" in
        shared) echo "0-$last" ;;
        broker-apart)
            ((last >= 1)) || lb_die "the broker-apart layout needs at least 2 cores"
            echo "1-$last" ;;
        *) lb_die "unknown CPU layout '$1' (shared, broker-apart)" ;;
    esac
}

# Pins the project-local RabbitMQ node and PostgreSQL cluster (every thread, every backend; new
# backends inherit the postmaster's cores) for a layout; `shared` undoes a pinning.
lb_apply_cpu_layout() {
    local layout="$1" database_cores broker_cores
    database_cores="$(lb_benchmark_cores "$layout")" || exit 1
    broker_cores="$database_cores"
    [[ "$layout" == broker-apart ]] && broker_cores=0
    local beam postmaster pid
    beam="$(cat "$RABBIT_DIR/rabbitmq.pid" 2>/dev/null || true)"
    [[ -n "$beam" ]] && kill -0 "$beam" 2>/dev/null || lb_die "RabbitMQ is not running"
    postmaster="$(head -n 1 "$PG_DATA/postmaster.pid" 2>/dev/null || true)"
    [[ -n "$postmaster" ]] && kill -0 "$postmaster" 2>/dev/null || lb_die "PostgreSQL is not running"
    for pid in "$beam" $(ps --ppid "$beam" -o pid=); do
        taskset -a -c -p "$broker_cores" "$pid" >/dev/null
    done
    for pid in "$postmaster" $(ps --ppid "$postmaster" -o pid=); do
        taskset -a -c -p "$database_cores" "$pid" >/dev/null 2>&1 || true # a backend may just have ended
    done
}
