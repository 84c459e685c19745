#!/bin/sh
# Stand-in for the official redis image's entrypoint, same contract: options alone (`--appendonly yes`) or a
# config file mean `redis-server ...`; started as root, it gives what is in /data to redis and runs the
# server as redis, with umask 0077.
set -e

if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
    set -- redis-server "$@"
fi

if [ "$1" = "redis-server" ] && [ "$(id -u)" = "0" ]; then
    find . \! -user redis -exec chown redis '{}' +
    exec setpriv --reuid=redis --regid=redis --init-groups "$0" "$@"
fi

if [ "$1" = "redis-server" ]; then
    # The official image's redis-server is built with protected mode off by default, so that other
    # containers may connect without a password; Debian's has it on. Same default here: off, unless an
    # option after it turns it on again (it does override a `protected-mode` line of a config file).
    shift
    if [ "${1%.conf}" != "${1:-}" ]; then
        config="$1"; shift
        set -- redis-server "$config" --protected-mode no "$@"
    else
        set -- redis-server --protected-mode no "$@"
    fi
fi

um="$(umask)"
if [ "$um" = "0022" ]; then
    umask 0077
fi

exec "$@"
