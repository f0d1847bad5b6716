#!/usr/bin/env bash
# Run SellerDesk locally: installs/starts PostgreSQL when needed, then starts the web app
# with the demo seller loaded on an empty database. Usage: bash scripts/run.sh [dotnet run args]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source scripts/lib/postgres.sh

# How to reach the HTTP API: a token is made at start-up from Bootstrap__ApiToken (docs/api.md, "Authentication").
if [ -n "${Bootstrap__ApiToken:-}" ]; then
  _sd_log "API token: the one in Bootstrap__ApiToken, valid for workspace '${Bootstrap__Workspace:-demo}' (Owner role)."
  _sd_log "  Send it as 'Authorization: Bearer <token>'; see docs/api.md, section Authentication."
else
  _sd_log "API token: none is set. To get one, start with Bootstrap__ApiToken=<a long random secret> (and"
  _sd_log "  Bootstrap__Workspace=<name>, default demo): start-up makes it valid for that workspace with the Owner role."
  _sd_log "  See docs/api.md, section Authentication (по-русски: docs/api.ru.md, «Авторизация»)."
fi

sellerdesk_ensure_postgres

# The certificate that encrypts the key ring protecting marketplace credentials: made once, owner-only, outside the
# database (docs/decisions/0019-hardening.md). Give your own with DataProtection__CertificatePath/__CertificatePassword.
if [ -z "${DataProtection__CertificatePath:-}" ]; then
  keys="${SELLERDESK_SECRETS_DIR:-${HOME:-/root}/.config/sellerdesk}"
  if [ ! -s "$keys/dataprotection.password" ]; then
    ( umask 077 && mkdir -p "$keys" && head -c 24 /dev/urandom | base64 | tr -d '/+=\n' >"$keys/dataprotection.password" )
  fi
  bash scripts/make-key-certificate.sh "$keys/dataprotection.pfx" "$(cat "$keys/dataprotection.password")"
  export DataProtection__CertificatePath="$keys/dataprotection.pfx"
  DataProtection__CertificatePassword="$(cat "$keys/dataprotection.password")"
  export DataProtection__CertificatePassword
  _sd_log "Credential keys are encrypted with $DataProtection__CertificatePath: back it up (with $keys/dataprotection.password) apart from the database."
fi

export ASPNETCORE_URLS="${ASPNETCORE_URLS:-http://127.0.0.1:5080}"
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Production}"
export Demo__Seed="${Demo__Seed:-true}"
# The demo's sandbox marketplace pauses between day pages, so a pull started by hand shows its progress.
export Sandbox__PageDelay="${Sandbox__PageDelay:-00:00:00.150}"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

_sd_log "building SellerDesk (the first run takes a minute or two)"
# --no-launch-profile: Properties/launchSettings.json would override the URL and environment.
exec dotnet run --project src/SellerDesk.Web -c Release --no-launch-profile "$@"
