#!/usr/bin/env bash
# Creates (idempotently) everything Learnbridge needs in a PostgreSQL server:
#   - the application database  ($DATABASE_NAME, default learnbridge), hardened so that
#     PUBLIC has no rights in it;
#   - per service (identity attendance progression reporting filetransfer notifier) a login
#     role, a schema of the same name owned by it, and search_path = <service>;
#     the gateway has no database;
#   - optionally (CREATE_TEST_DATABASE=1) the test database learnbridge_test owned by the
#     role learnbridge_test.
#
# Connect as a superuser through the usual libpq variables (PGHOST, PGPORT, PGUSER;
# PGUSER defaults to $POSTGRES_USER, then postgres). Used by deploy/local/lib.sh and, in
# docker-compose.yml, by deploy/postgres/docker-entrypoint-initdb.sh.
#
# Passwords come from <SERVICE>_DATABASE_PASSWORD (IDENTITY_DATABASE_PASSWORD, ...).
# If unset, the password is the service name: acceptable ONLY for a local machine or the
# local compose set-up. Real deployments pass real secrets (see deploy/k8s/secret.yaml).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export PGUSER="${PGUSER:-${POSTGRES_USER:-postgres}}"
database="${DATABASE_NAME:-learnbridge}"
services="${LEARNBRIDGE_DATABASE_SERVICES:-identity attendance progression reporting filetransfer notifier}"

run_psql() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 "$@"; }

run_psql -d postgres -v database="$database" -f "$here/create-database.sql"
run_psql -d "$database" -v database="$database" -f "$here/harden-database.sql"
for service in $services; do
    password_var="$(printf '%s' "$service" | tr '[:lower:]-' '[:upper:]_')_DATABASE_PASSWORD"
    password="${!password_var:-$service}"
    run_psql -d "$database" -v database="$database" -v service="$service" -v password="$password" \
        -f "$here/create-service-role.sql"
done

if [[ "${CREATE_TEST_DATABASE:-0}" == 1 ]]; then
    run_psql -d postgres \
        -v test_database="${TEST_DATABASE_NAME:-learnbridge_test}" \
        -v test_user="${TEST_DATABASE_USER:-learnbridge_test}" \
        -v test_password="${TEST_DATABASE_PASSWORD:-learnbridge_test}" \
        -f "$here/create-test-database.sql"
    echo "setup-databases: test database ${TEST_DATABASE_NAME:-learnbridge_test} ready"
fi
echo "setup-databases: database $database ready, one role and schema each for: $services"
