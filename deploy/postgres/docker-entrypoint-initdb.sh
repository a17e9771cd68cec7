#!/usr/bin/env bash
# Mounted into the postgres image as /docker-entrypoint-initdb.d/10-learnbridge.sh
# (see docker-compose.yml); deploy/postgres itself is mounted at /opt/learnbridge/postgres.
# Runs once, when the data volume is initialised. May be sourced or executed by the
# image's entrypoint, so it must not `exec` or `exit`.
bash /opt/learnbridge/postgres/setup-databases.sh
