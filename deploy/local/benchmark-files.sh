#!/usr/bin/env bash
# File-transfer benchmark: a 1 GiB file uploaded and downloaded through the gateway (release builds of
# `gateway` and `filetransfer`, encryption on), next to a plain loopback copy of the same file measured in
# the same run, with the peak resident memory of the gateway and the service during each transfer.
#
#   deploy/local/benchmark-files.sh                 # 2 runs of 1 GiB
#   RUNS=3 SIZE_MIB=2048 deploy/local/benchmark-files.sh
#   DOWNLOADS=7 deploy/local/benchmark-files.sh      # download pairs per run (default 5), medians reported
#   SKIP_BUILD=1 deploy/local/benchmark-files.sh    # reuse the release build
#   PERF_DIR=/tmp/perf deploy/local/benchmark-files.sh   # also `perf record` each process during each transfer
#
# What runs, all on 127.0.0.1 ports picked at start (nothing of run.sh's stack is touched):
#   - filetransfer, on a schema of its own in the test database and a vhost of its own on the broker
#     (both removed at the end), storing into a scratch folder;
#   - the gateway in front of it; a JWKS (python3 -m http.server over a folder with .well-known/jwks.json)
#     for the Ed25519 key the benchmark signs its tokens with (openssl, no Python packages needed);
#   - the baseline: a minimal Python HTTP server that writes an upload to a file (1 MiB readinto/write, fsync
#     before answering, as the service does before its 201) and serves a download with sendfile(2), so the
#     plain rate is bounded by curl, the kernel and the disk, not by the server.
# Every timed transfer starts after `sync`, so none pays for the previous one's dirty pages.
# The client is curl in every case (`-T file -X POST` streams the upload; download to /dev/null).
# Peak memory: VmHWM of each process, reset before each transfer (echo 5 > /proc/PID/clear_refs), and VmRSS
# sampled every 100 ms as a cross-check. Results are recorded in BENCHMARKS.md.
set -euo pipefail
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

SIZE_MIB="${SIZE_MIB:-1024}"
RUNS="${RUNS:-2}"
DOWNLOADS="${DOWNLOADS:-5}"

prepare_test_infrastructure
export_test_env
cd "$ROOT"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    lb_log "swift build -c release --product filetransfer / gateway"
    swift build -c release --product filetransfer
    swift build -c release --product gateway
fi
BIN="$(swift build -c release --show-bin-path)"
[[ -x "$BIN/filetransfer" && -x "$BIN/gateway" ]] || lb_die "release executables missing in $BIN"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/learnbridge-files-bench.XXXXXX")"
SCHEMA="bench_files_$$"
VHOST="learnbridge_bench_files_$$"
PIDS=()

cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    done
    psql_superuser -q -d learnbridge_test -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null 2>&1 || true
    rabbitmqctl_local -q delete_vhost "$VHOST" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_http() { # URL PID NAME
    local i
    for ((i = 0; i < 300; i++)); do
        kill -0 "$2" 2>/dev/null || { tail -n 30 "$WORK/$3.log" >&2; lb_die "$3 exited at start"; }
        curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
        sleep 0.2
    done
    tail -n 30 "$WORK/$3.log" >&2
    lb_die "$3 did not answer $1"
}

b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }

# ---------------------------------------------------------------------------------------------------------------
# Keys, tokens, JWKS

openssl genpkey -algorithm ed25519 -out "$WORK/key.pem" 2>/dev/null
X="$(openssl pkey -in "$WORK/key.pem" -pubout -outform DER | tail -c 32 | b64url)"
mkdir -p "$WORK/jwks/.well-known"
printf '{"keys":[{"kty":"OKP","crv":"Ed25519","x":"%s","kid":"bench-files","alg":"EdDSA","use":"sig"}]}' "$X" \
    >"$WORK/jwks/.well-known/jwks.json"

COORDINATOR_ORG="$(cat /proc/sys/kernel/random/uuid)"
SCHOOL_ORG="$(cat /proc/sys/kernel/random/uuid)"

token() { # ORG KIND ROLE
    local now header payload signature
    now="$(date +%s)"
    header="$(printf '{"alg":"EdDSA","typ":"JWT","kid":"bench-files"}' | b64url)"
    payload="$(printf '{"sub":"%s","iss":"learnbridge-identity","aud":["learnbridge"],"iat":%d,"exp":%d,"org":"%s","org_kind":"%s","roles":["%s"],"name":"Benchmark %s"}' \
        "$(cat /proc/sys/kernel/random/uuid)" "$now" "$((now + 4 * 3600))" "$1" "$2" "$3" "$2" | b64url)"
    printf '%s.%s' "$header" "$payload" >"$WORK/signing-input"
    signature="$(openssl pkeyutl -sign -inkey "$WORK/key.pem" -rawin -in "$WORK/signing-input" | b64url)"
    printf '%s.%s.%s' "$header" "$payload" "$signature"
}
SCHOOL_TOKEN="$(token "$SCHOOL_ORG" school learner-manager)"
COORDINATOR_TOKEN="$(token "$COORDINATOR_ORG" coordinator coordinator)"

# ---------------------------------------------------------------------------------------------------------------
# Database schema, broker vhost, processes

psql_superuser -q -d learnbridge_test -c "CREATE SCHEMA $SCHEMA AUTHORIZATION learnbridge_test" >/dev/null
rabbitmqctl_local -q add_vhost "$VHOST" >/dev/null
rabbitmqctl_local -q set_permissions -p "$VHOST" learnbridge '.*' '.*' '.*' >/dev/null

JWKS_PORT="$(free_port)"
FILETRANSFER_PORT="$(free_port)"
GATEWAY_PORT="$(free_port)"
PLAIN_PORT="$(free_port)"

python3 -m http.server "$JWKS_PORT" --bind 127.0.0.1 --directory "$WORK/jwks" >"$WORK/jwks.log" 2>&1 &
PIDS+=($!)

mkdir -p "$WORK/files"
env -i PATH="$PATH" HOME="$HOME" \
    HTTP_HOST=127.0.0.1 HTTP_PORT="$FILETRANSFER_PORT" LOG_LEVEL=warning LOG_FORMAT=text \
    AMQP_URL="amqp://learnbridge:learnbridge@127.0.0.1:$AMQP_PORT/$VHOST" \
    JWKS_URL="http://127.0.0.1:$JWKS_PORT/.well-known/jwks.json" \
    DATABASE_HOST=127.0.0.1 DATABASE_PORT="$DATABASE_PORT" DATABASE_NAME=learnbridge_test \
    DATABASE_USER=learnbridge_test DATABASE_PASSWORD=learnbridge_test DATABASE_SCHEMA="$SCHEMA" \
    FILE_MASTER_KEY="bench:$(head -c 32 /dev/urandom | base64 -w0)" FILE_STORAGE_DIRECTORY="$WORK/files" \
    FILE_MAX_UPLOAD_BYTES=$((4 << 30)) FILE_EXPIRY_CHECK_SECONDS=86400 \
    "$BIN/filetransfer" >"$WORK/filetransfer.log" 2>&1 &
FILETRANSFER_PID=$!
PIDS+=("$FILETRANSFER_PID")
wait_http "http://127.0.0.1:$FILETRANSFER_PORT/health/ready" "$FILETRANSFER_PID" filetransfer

# The organisation replica, as identity's OrganisationRecorded events would fill it.
psql_superuser -q -d learnbridge_test -c "INSERT INTO $SCHEMA.organisation (id, kind, name, version) VALUES
    ('$COORDINATOR_ORG', 'coordinator', 'Coventry Alternative Provision (CAP)', 1),
    ('$SCHOOL_ORG', 'school', 'Coundon Court', 1)" >/dev/null

CLOSED="http://127.0.0.1:1"
env -i PATH="$PATH" HOME="$HOME" \
    HTTP_HOST=127.0.0.1 HTTP_PORT="$GATEWAY_PORT" LOG_LEVEL=warning LOG_FORMAT=text \
    AMQP_URL="amqp://learnbridge:learnbridge@127.0.0.1:$AMQP_PORT/$VHOST" \
    JWKS_URL="http://127.0.0.1:$JWKS_PORT/.well-known/jwks.json" \
    FILETRANSFER_URL="http://127.0.0.1:$FILETRANSFER_PORT" \
    IDENTITY_URL="$CLOSED" ATTENDANCE_URL="$CLOSED" PROGRESSION_URL="$CLOSED" REPORTING_URL="$CLOSED" \
    GATEWAY_FILES_TIMEOUT_SECONDS=3600 \
    "$BIN/gateway" >"$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!
PIDS+=("$GATEWAY_PID")
wait_http "http://127.0.0.1:$GATEWAY_PORT/health/live" "$GATEWAY_PID" gateway

# The baseline: a plain HTTP server on loopback, no proxy, no encryption, no hashing.
cat >"$WORK/plain_server.py" <<'EOF'
import http.server, os, sys

SOURCE, TARGET = sys.argv[2], sys.argv[3]

class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        size = os.path.getsize(SOURCE)
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(size))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.flush()
        with open(SOURCE, "rb") as f:
            self.connection.sendfile(f)

    def do_POST(self):
        remaining = int(self.headers["Content-Length"])
        buffer = bytearray(1 << 20)
        view = memoryview(buffer)
        with open(TARGET, "wb") as out:
            while remaining > 0:
                n = self.rfile.readinto(view[: min(remaining, len(buffer))])
                if not n:
                    break
                out.write(view[:n])
                remaining -= n
            # Durable before answering, as the service makes an upload (fsync, then rename) before its 201.
            out.flush()
            os.fsync(out.fileno())
        self.send_response(201 if remaining == 0 else 400)
        self.send_header("Content-Length", "0")
        self.send_header("Connection", "close")
        self.end_headers()

http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
EOF
python3 "$WORK/plain_server.py" "$PLAIN_PORT" "$WORK/source.bin" "$WORK/plain-upload.bin" >"$WORK/plain.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 50); do curl -fsS -o /dev/null -r 0-0 "http://127.0.0.1:$PLAIN_PORT/" 2>/dev/null && break; sleep 0.1; done

# ---------------------------------------------------------------------------------------------------------------
# The file and the measurements

lb_log "generating a $SIZE_MIB MiB file of random bytes"
head -c "$((SIZE_MIB << 20))" /dev/urandom >"$WORK/source.bin"
SIZE="$(stat -c %s "$WORK/source.bin")"
SOURCE_SHA="$(sha256sum "$WORK/source.bin" | cut -d' ' -f1)"

# CPU seconds (user + system) a process has used so far.
TICKS="$(getconf CLK_TCK)"
cpu_seconds() { awk -v t="$TICKS" '{ printf "%.2f", ($14 + $15) / t }' "/proc/$1/stat"; }
cpu_delta() { awk -v a="$1" -v b="$2" -v n="${3:-1}" 'BEGIN { printf "%.1f", (b - a) / n }'; } # FROM TO [PER]
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
hwm_kib() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# Samples VmRSS of the gateway and filetransfer every 100 ms into $WORK/sampled until killed.
start_sampler() {
    echo 5 >"/proc/$GATEWAY_PID/clear_refs"
    echo 5 >"/proc/$FILETRANSFER_PID/clear_refs"
    (
        gw=0 ft=0
        while :; do
            g="$(rss_kib "$GATEWAY_PID")"; f="$(rss_kib "$FILETRANSFER_PID")"
            ((g > gw)) && gw=$g
            ((f > ft)) && ft=$f
            echo "$gw $ft" >"$WORK/sampled"
            sleep 0.1
        done
    ) &
    SAMPLER=$!
}
stop_sampler() { # prints: gateway-HWM filetransfer-HWM gateway-sampled filetransfer-sampled (MiB)
    kill "$SAMPLER" 2>/dev/null || true
    wait "$SAMPLER" 2>/dev/null || true
    local sampled
    sampled="$(cat "$WORK/sampled")"
    echo "$(($(hwm_kib "$GATEWAY_PID") / 1024)) $(($(hwm_kib "$FILETRANSFER_PID") / 1024)) $((${sampled% *} / 1024)) $((${sampled#* } / 1024))"
}

# With PERF_DIR set: call-graph profiles of the gateway and filetransfer during each transfer
# ($PERF_DIR/<transfer>-<run>-<process>.data; read with `perf report -i FILE --no-children`).
PROFILERS=()
start_profile() { # TRANSFER RUN
    [[ -n "${PERF_DIR:-}" ]] || return 0
    mkdir -p "$PERF_DIR"
    perf record -q -g -p "$GATEWAY_PID" -o "$PERF_DIR/$1-$2-gateway.data" >/dev/null 2>&1 &
    PROFILERS=($!)
    perf record -q -g -p "$FILETRANSFER_PID" -o "$PERF_DIR/$1-$2-filetransfer.data" >/dev/null 2>&1 &
    PROFILERS+=($!)
    sleep 0.5  # perf attaches before the transfer starts
}
stop_profile() {
    local pid
    for pid in "${PROFILERS[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
    for pid in "${PROFILERS[@]}"; do wait "$pid" 2>/dev/null || true; done
    PROFILERS=()
}

mbps() { awk -v b="$SIZE" -v t="$1" 'BEGIN { printf "%.0f", b / 1e6 / t }'; }

json_field() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }

gateway_curl() { curl -sS --fail-with-body -H 'Expect:' "$@"; }

RESULTS=()
lb_log "gateway :$GATEWAY_PORT -> filetransfer :$FILETRANSFER_PORT; plain server :$PLAIN_PORT; $RUNS runs of $SIZE bytes"
lb_log "resident memory before: gateway $(($(rss_kib "$GATEWAY_PID") / 1024)) MiB, filetransfer $(($(rss_kib "$FILETRANSFER_PID") / 1024)) MiB"
for ((run = 1; run <= RUNS; run++)); do
    # Plain loopback copy of the same file.
    sync
    time_plain_up="$(curl -sS -o /dev/null -H 'Expect:' -H 'Content-Type: application/octet-stream' -T "$WORK/source.bin" -X POST \
        -w '%{time_total}' "http://127.0.0.1:$PLAIN_PORT/upload")"
    [[ "$(stat -c %s "$WORK/plain-upload.bin")" == "$SIZE" ]] || lb_die "plain upload incomplete"
    rm -f "$WORK/plain-upload.bin"

    # Through the gateway: draft, upload, confirm, download as the recipient.
    gateway_curl -o "$WORK/draft.json" -X POST -H "Authorization: Bearer $SCHOOL_TOKEN" "http://127.0.0.1:$GATEWAY_PORT/api/files/transfers"
    transfer="$(json_field "$WORK/draft.json" id)"
    sync
    gw_cpu0="$(cpu_seconds "$GATEWAY_PID")" ft_cpu0="$(cpu_seconds "$FILETRANSFER_PID")"
    start_sampler
    start_profile upload "$run"
    time_up="$(gateway_curl -o "$WORK/upload.json" -w '%{time_total}' -X POST -T "$WORK/source.bin" \
        -H "Authorization: Bearer $SCHOOL_TOKEN" -H 'Content-Type: application/octet-stream' \
        "http://127.0.0.1:$GATEWAY_PORT/api/files/transfers/$transfer/files?name=bench-$run.bin&recipientOrganisationId=$COORDINATOR_ORG&description=benchmark")"
    stop_profile
    read -r up_gw_hwm up_ft_hwm up_gw_rss up_ft_rss < <(stop_sampler)
    up_cpu="gateway $(cpu_delta "$gw_cpu0" "$(cpu_seconds "$GATEWAY_PID")") s, filetransfer $(cpu_delta "$ft_cpu0" "$(cpu_seconds "$FILETRANSFER_PID")") s"
    file="$(json_field "$WORK/upload.json" id)"
    [[ "$(json_field "$WORK/upload.json" sha256)" == "$SOURCE_SHA" ]] || lb_die "recorded SHA-256 differs from the file's"
    gateway_curl -o /dev/null -X POST -H "Authorization: Bearer $SCHOOL_TOKEN" "http://127.0.0.1:$GATEWAY_PORT/api/files/transfers/$transfer/confirm"
    # Downloads are quick and noisy on a shared machine: DOWNLOADS pairs, plain then gateway, each after `sync`;
    # the medians are reported, the peak memory is over all of them, the CPU is per download.
    plain_times=() gateway_times=()
    gw_cpu0="$(cpu_seconds "$GATEWAY_PID")" ft_cpu0="$(cpu_seconds "$FILETRANSFER_PID")"
    start_sampler
    start_profile download "$run"
    for ((pair = 1; pair <= DOWNLOADS; pair++)); do
        sync
        read -r time_plain_down size_plain_down < <(curl -sS -o /dev/null -w '%{time_total} %{size_download}\n' \
            "http://127.0.0.1:$PLAIN_PORT/source.bin")
        [[ "$size_plain_down" == "$SIZE" ]] || lb_die "plain download incomplete"
        plain_times+=("$time_plain_down")
        sync
        # To /dev/null like the plain download: the service checks every chunk's tag as it streams and breaks the
        # connection (curl fails) if the bytes do not open; the size is checked here.
        read -r time_down size_down < <(gateway_curl -o /dev/null -w '%{time_total} %{size_download}\n' \
            -H "Authorization: Bearer $COORDINATOR_TOKEN" "http://127.0.0.1:$GATEWAY_PORT/api/files/files/$file/content")
        [[ "$size_down" == "$SIZE" ]] || lb_die "downloaded $size_down of $SIZE bytes"
        gateway_times+=("$time_down")
    done
    stop_profile
    read -r down_gw_hwm down_ft_hwm down_gw_rss down_ft_rss < <(stop_sampler)
    down_cpu="gateway $(cpu_delta "$gw_cpu0" "$(cpu_seconds "$GATEWAY_PID")" "$DOWNLOADS") s, filetransfer $(cpu_delta "$ft_cpu0" "$(cpu_seconds "$FILETRANSFER_PID")" "$DOWNLOADS") s"
    time_plain_down="$(median "${plain_times[@]}")" time_down="$(median "${gateway_times[@]}")"
    lb_log "run $run download seconds: plain ${plain_times[*]}; gateway ${gateway_times[*]}"

    up="$(mbps "$time_up")" down="$(mbps "$time_down")"
    plain_up="$(mbps "$time_plain_up")" plain_down="$(mbps "$time_plain_down")"
    up_ratio="$(awk -v a="$up" -v b="$plain_up" 'BEGIN { printf "%.0f%%", 100 * a / b }')"
    down_ratio="$(awk -v a="$down" -v b="$plain_down" 'BEGIN { printf "%.0f%%", 100 * a / b }')"
    row="| $run | $up | $plain_up | $up_ratio | $down | $plain_down | $down_ratio | $up_gw_hwm / $down_gw_hwm | $up_ft_hwm / $down_ft_hwm |"
    RESULTS+=("$row")
    lb_log "run $run: upload $up MB/s (plain $plain_up, $up_ratio), download $down MB/s (plain $plain_down, $down_ratio);" \
        "peak RSS gateway $up_gw_hwm/$down_gw_hwm MiB (sampled $up_gw_rss/$down_gw_rss), filetransfer $up_ft_hwm/$down_ft_hwm MiB (sampled $up_ft_rss/$down_ft_rss);" \
        "CPU upload: $up_cpu, download: $down_cpu; load average $(cut -d' ' -f1 /proc/loadavg)"
done

echo
echo "| Run | Upload via gateway MB/s | Plain upload MB/s | Ratio | Download via gateway MB/s | Plain download MB/s | Ratio | Gateway peak RSS up / down MiB | Filetransfer peak RSS up / down MiB |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${RESULTS[@]}"
