#!/bin/sh
# Runs one Learnbridge service: the first argument if it names one, else $SERVICE.
# Further arguments go to the executable (e.g. `identity seed-demo`).
set -eu
case "${1:-}" in
    identity | attendance | progression | reporting | filetransfer | notifier | gateway)
        SERVICE="$1"
        shift
        ;;
esac
case "${SERVICE:-}" in
    identity | attendance | progression | reporting | filetransfer | notifier | gateway)
        exec "/app/$SERVICE" "$@"
        ;;
    *)
        echo "usage: set SERVICE (or pass as first argument) to one of:" \
            "identity attendance progression reporting filetransfer notifier gateway" >&2
        exit 64
        ;;
esac
