#!/usr/bin/env bash
# Runs every test: installs what is missing, starts the project-local PostgreSQL and
# RabbitMQ, then the Swift tests (build, then `swift test --no-parallel`) and the
# deployment checks in Tests/deploy (pytest). Extra arguments go to `swift test`:
#   deploy/local/test.sh --filter MessagingTests
# Exits non-zero if any step failed; pytest runs even after a Swift failure.
set -euo pipefail
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

prepare_test_infrastructure
ensure_venv
export_test_env

cd "$ROOT"
build_status=ok test_status=ok pytest_status=ok
lb_log "swift build --build-tests"
if ! swift build --build-tests; then
    build_status=FAILED
    test_status=skipped
else
    lb_log "swift test --no-parallel $*"
    swift test --skip-build --no-parallel "$@" || test_status=FAILED
fi

lb_log "pytest Tests/deploy"
"$VENV_DIR/bin/python" -m pytest -q -p no:cacheprovider Tests/deploy || pytest_status=FAILED

echo "test.sh summary: swift build $build_status, swift test $test_status, pytest Tests/deploy $pytest_status"
[[ "$build_status $test_status $pytest_status" == "ok ok ok" ]]
