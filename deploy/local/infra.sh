#!/usr/bin/env bash
# Starts only the infrastructure (project-local PostgreSQL and RabbitMQ, with databases,
# roles, vhosts and users) and prints the test environment as `export` lines, so that
#   eval "$(deploy/local/infra.sh)"
#   swift test --filter MessagingTests
# runs Swift tests by hand. Progress goes to stderr. Stop with deploy/local/stop.sh.
set -euo pipefail
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

prepare_test_infrastructure
test_env | while IFS= read -r line; do
    printf 'export %s=%q\n' "${line%%=*}" "${line#*=}"
done
