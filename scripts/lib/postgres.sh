# shellcheck shell=bash
# Sourced by scripts/run.sh and scripts/test.sh. Defines:
#   sellerdesk_apt_install PKG...  installs Debian packages (apt-get update once per shell)
#   sellerdesk_ensure_postgres     makes a local PostgreSQL usable and exports
#                                  ConnectionStrings__SellerDesk
# Safe under `set -euo pipefail` and idempotent: run it as often as you like.
# Needs root (or passwordless sudo) only when something must be installed or started.

_sd_log() { echo "[sellerdesk] $*" >&2; }
_sd_die() { echo "[sellerdesk] ERROR: $*" >&2; return 1; }

# Run a command as root: directly when we are root, else through sudo.
_sd_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Run a command as the postgres OS user (peer authentication over the Unix socket).
# `cd /` avoids "could not change directory to /root" noise.
_sd_as_postgres() {
  ( cd / && if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi )
}

sellerdesk_apt_install() {
  local log
  log="$(mktemp -t sellerdesk-apt.XXXXXX)"
  if [ -z "${_SD_APT_UPDATED:-}" ]; then
    _sd_root apt-get update -q >"$log" 2>&1 || { cat "$log" >&2; rm -f "$log"; _sd_die "apt-get update failed"; return 1; }
    _SD_APT_UPDATED=1
  fi
  _sd_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >"$log" 2>&1 \
    || { cat "$log" >&2; rm -f "$log"; _sd_die "apt-get install $* failed"; return 1; }
  rm -f "$log"
}

sellerdesk_ensure_postgres() {
  # 1. An explicit connection string wins: touch nothing.
  if [ -n "${ConnectionStrings__SellerDesk:-}" ]; then
    _sd_log "Using ConnectionStrings__SellerDesk from the environment (no local PostgreSQL setup)."
    export ConnectionStrings__SellerDesk
    return 0
  fi

  # 2. Install the server when no server binaries exist.
  if ! compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; then
    _sd_log "Installing PostgreSQL (first run only)..."
    sellerdesk_apt_install postgresql || return 1
    _sd_log "PostgreSQL installed."
  fi

  # 3. Pick the newest installed major version and a cluster of it (create 'main' if none).
  local ver line name port status
  ver="$(for p in /usr/lib/postgresql/*/bin/postgres; do basename "$(dirname "$(dirname "$p")")"; done | sort -n | tail -n 1)"
  # pg_lsclusters -h columns: version cluster port status owner datadir logfile
  line="$(pg_lsclusters -h 2>/dev/null | awk -v v="$ver" '$1 == v { print; exit }')" || true
  if [ -z "$line" ]; then
    _sd_log "Creating PostgreSQL $ver cluster 'main'..."
    _sd_root pg_createcluster --locale C.UTF-8 "$ver" main >/dev/null || { _sd_die "pg_createcluster $ver main failed"; return 1; }
    line="$(pg_lsclusters -h | awk -v v="$ver" '$1 == v && $2 == "main" { print; exit }')"
  fi
  name="$(awk '{ print $2 }' <<<"$line")"
  port="$(awk '{ print $3 }' <<<"$line")"
  status="$(awk '{ print $4 }' <<<"$line")"

  # 4. Start it when down ("online" or "online,recovery" means running).
  if [[ "$status" != online* ]]; then
    local datadir pidfile pid
    datadir="$(awk '{ print $6 }' <<<"$line")"
    pidfile="$datadir/postmaster.pid"
    # After a machine/container restart a leftover postmaster.pid may name a PID that now
    # belongs to an unrelated process, which makes postgres refuse to start: drop it.
    if _sd_root test -f "$pidfile"; then
      pid="$(_sd_root head -n 1 "$pidfile")"
      if [ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" != postgres ]; then
        _sd_log "Removing stale $pidfile"
        _sd_root rm -f "$pidfile"
      fi
    fi
    # The socket directory lives on tmpfs on real machines; recreate it if it vanished.
    _sd_root install -d -o postgres -g postgres -m 2775 /var/run/postgresql
    _sd_log "Starting PostgreSQL $ver/$name on port $port..."
    _sd_root pg_ctlcluster "$ver" "$name" start \
      || { _sd_die "pg_ctlcluster $ver $name start failed; see /var/log/postgresql/postgresql-$ver-$name.log"; return 1; }
  fi

  # 5. Wait until it accepts connections (30 s).
  local i
  for i in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p "$port" && break
    if [ "$i" = 30 ]; then
      _sd_die "PostgreSQL $ver/$name did not accept connections on 127.0.0.1:$port within 30 s; see /var/log/postgresql/postgresql-$ver-$name.log"
      return 1
    fi
    sleep 1
  done

  # 6. Role and database, idempotently. The role's password is made once (random) and kept in a file readable by
  #    this user only; it is never reset on a later run, unless the stored one no longer logs in. Installs made
  #    before (role password 'sellerdesk') keep working, with a warning. CREATE DATABASE cannot run inside DO.
  local secrets="${SELLERDESK_SECRETS_DIR:-${HOME:-/root}/.config/sellerdesk}" password="" role_exists
  local password_file="$secrets/db-password"
  role_exists="$(_sd_as_postgres psql -X -q -At -p "$port" -d postgres -c "SELECT 1 FROM pg_roles WHERE rolname = 'sellerdesk'")" \
    || { _sd_die "could not query PostgreSQL roles"; return 1; }
  if [ -s "$password_file" ]; then
    password="$(cat "$password_file")"
  fi
  _sd_login() { PGPASSWORD="$1" PGCONNECT_TIMEOUT=5 psql -X -q -At -h 127.0.0.1 -p "$port" -U sellerdesk -d postgres -c 'select 1' >/dev/null 2>&1; }
  if [ "$role_exists" = 1 ] && [ -n "$password" ] && _sd_login "$password"; then
    :
  elif [ "$role_exists" = 1 ] && _sd_login sellerdesk; then
    password=sellerdesk
    _sd_log "WARNING: the database role 'sellerdesk' still has the old well-known password. To replace it with a random one:"
    _sd_log "  rm -f '$password_file' && SELLERDESK_ROTATE_DB_PASSWORD=1 bash scripts/run.sh  (stop running apps first)"
  else
    :
  fi
  if [ "$password" = sellerdesk ] && [ "${SELLERDESK_ROTATE_DB_PASSWORD:-}" = 1 ]; then
    password=""
  fi
  if [ -z "$password" ] || ! { [ "$role_exists" = 1 ] && _sd_login "$password"; }; then
    password="$(head -c 24 /dev/urandom | base64 | tr -d '/+=\n')"
    ( umask 077 && mkdir -p "$secrets" && printf '%s' "$password" >"$password_file.tmp" && mv "$password_file.tmp" "$password_file" ) \
      || { _sd_die "could not write $password_file"; return 1; }
    if [ "$role_exists" = 1 ]; then
      _sd_log "Setting a new random password for the database role 'sellerdesk' (the stored one was missing or no longer valid)."
    fi
    _sd_as_postgres psql -X -q -v ON_ERROR_STOP=1 -v pw="$password" -p "$port" -d postgres >/dev/null <<'SQL' || { _sd_die "could not create role sellerdesk"; return 1; }
SELECT CASE WHEN EXISTS (SELECT FROM pg_roles WHERE rolname = 'sellerdesk')
            THEN format('ALTER ROLE sellerdesk LOGIN CREATEDB PASSWORD %L', :'pw')
            ELSE format('CREATE ROLE sellerdesk LOGIN CREATEDB PASSWORD %L', :'pw') END
\gexec
SQL
  fi
  _sd_as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$port" -d postgres >/dev/null <<'SQL' || { _sd_die "could not create database sellerdesk"; return 1; }
SELECT 'CREATE DATABASE sellerdesk OWNER sellerdesk'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'sellerdesk')
\gexec
SQL

  # 7. Prove password login over TCP works (Debian's pg_hba: scram-sha-256 for host lines).
  PGPASSWORD="$password" PGCONNECT_TIMEOUT=5 psql -X -q -At -h 127.0.0.1 -p "$port" -U sellerdesk -d sellerdesk \
    -c 'select 1' >/dev/null \
    || { _sd_die "cannot log in as sellerdesk@127.0.0.1:$port with a password (check pg_hba.conf)"; return 1; }

  # The database is on this machine (loopback): TLS would only cost CPU on both sides, so it is off.
  export ConnectionStrings__SellerDesk="Host=127.0.0.1;Port=$port;Database=sellerdesk;Username=sellerdesk;Password=$password;SSL Mode=Disable"
  _sd_log "PostgreSQL $ver/$name ready on 127.0.0.1:$port (database sellerdesk)."
}
