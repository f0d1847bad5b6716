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

export ASPNETCORE_URLS="${ASPNETCORE_URLS:-http://127.0.0.1:5080}"
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Production}"
export Demo__Seed="${Demo__Seed:-true}"
# The demo's sandbox marketplace pauses between day pages, so a pull started by hand shows its progress.
export Sandbox__PageDelay="${Sandbox__PageDelay:-00:00:00.150}"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

_sd_log "building SellerDesk (the first run takes a minute or two)"
# --no-launch-profile: Properties/launchSettings.json would override the URL and environment.
exec dotnet run --project src/SellerDesk.Web -c Release --no-launch-profile "$@"
