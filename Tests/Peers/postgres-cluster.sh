#!/usr/bin/env bash
# A private PostgreSQL cluster for tests and benchmarks: initdb in a folder of its own, a free port on 127.0.0.1,
# password authentication (SCRAM) for the user `geolith`, stopped (and removed, with `destroy`) at the end.
#
#   postgres-cluster.sh start DIR [PORT]   initdb DIR/data if needed, start; prints the URL (no password)
#   postgres-cluster.sh stop DIR           fast shutdown (the cluster and its port are kept for `start`)
#   postgres-cluster.sh destroy DIR        stop and remove DIR
#
# DIR/password holds the password (give it to geolith with --password-file DIR/password or PGPASSWORD).
# PostgreSQL refuses to run as root: as root, the cluster runs as Debian's `postgres` user (from the postgresql
# package) or, without it, as `nobody`. Binaries: Debian's /usr/lib/postgresql/<version>/bin, else PATH.
set -euo pipefail

command=${1:?usage: postgres-cluster.sh start|stop|destroy DIR [PORT]}
dir=${2:?usage: postgres-cluster.sh start|stop|destroy DIR [PORT]}

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ]; then bindir=$(dirname "$(command -v initdb || echo /nonexistent/initdb)"); fi
if [ ! -x "$bindir/initdb" ]; then
  echo "postgres-cluster.sh: no initdb (install Debian's postgresql package: apt-get install postgresql)" >&2
  exit 3
fi

# Runs a command as the cluster's owner.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    local owner=postgres
    id -u postgres >/dev/null 2>&1 || owner=nobody
    runuser -u "$owner" -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

case "$command" in
  start)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [ ! -d "$dir/data" ]; then
      # A password of 24 random letters and digits; the file is readable by its owner only.
      (umask 077; head -c 256 /dev/urandom | tr -dc 'A-Za-z0-9' | head -c 24 > "$dir/password")
      port=${3:-$(free_port)}
      echo "$port" > "$dir/port"
      if [ "$(id -u)" = 0 ]; then
        owner=postgres
        id -u postgres >/dev/null 2>&1 || owner=nobody
        chown "$owner" "$dir"
        cp "$dir/password" "$dir/pwfile" && chown "$owner" "$dir/pwfile"
      else
        cp "$dir/password" "$dir/pwfile"
      fi
      as_owner "$bindir/initdb" -D "$dir/data" -U geolith --auth=scram-sha-256 --pwfile="$dir/pwfile" \
        -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
      rm -f "$dir/pwfile"
      # Enough for the fleet benchmark (10 writers, HTTP readers) on a 2-core machine; fsync stays on.
      cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 100
shared_buffers = 512MB
max_wal_size = 4GB
checkpoint_timeout = 15min
wal_level = replica
max_wal_senders = 4
EOF
      echo "host replication geolith 127.0.0.1/32 scram-sha-256" >>"$dir/data/pg_hba.conf"
    fi
    port=$(cat "$dir/port")
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null \
      || { tail -n 20 "$dir/server.log" >&2; exit 1; }
    if [ ! -f "$dir/created" ]; then
      PGPASSWORD=$(cat "$dir/password") "$bindir/psql" -h 127.0.0.1 -p "$port" -U geolith -d postgres -qAt \
        -c "CREATE DATABASE geolith" >/dev/null
      touch "$dir/created"
    fi
    echo "postgres://geolith@127.0.0.1:$port/geolith"
    ;;
  stop)
    if [ -d "$dir/data" ]; then as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true; fi
    ;;
  destroy)
    if [ -d "$dir/data" ]; then as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -t 60 stop >/dev/null 2>&1 || true; fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: postgres-cluster.sh start|stop|destroy DIR [PORT]" >&2
    exit 2
    ;;
esac
