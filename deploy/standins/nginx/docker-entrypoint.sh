#!/bin/sh
# Stand-in for the official nginx image's entrypoint, same contract: when the command is nginx (or
# nginx-debug), first source the /docker-entrypoint.d/*.envsh files and run the executable *.sh ones,
# in order; then exec the command. NGINX_ENTRYPOINT_QUIET_LOGS=1 silences its own messages.
set -e

say() { [ -n "${NGINX_ENTRYPOINT_QUIET_LOGS:-}" ] || echo "$0: $*"; }

if [ "$1" = "nginx" ] || [ "$1" = "nginx-debug" ]; then
    for script in $(find /docker-entrypoint.d/ -follow -type f \( -name '*.envsh' -o -name '*.sh' \) | sort); do
        case "$script" in
            *.envsh)
                if [ -x "$script" ]; then say "sourcing $script"; . "$script"; else say "ignoring $script, not executable"; fi ;;
            *.sh)
                if [ -x "$script" ]; then say "running $script"; "$script"; else say "ignoring $script, not executable"; fi ;;
        esac
    done
    say "configuration complete; ready for start up"
fi

exec "$@"
