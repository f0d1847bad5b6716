#!/usr/bin/env bash
# Run SellerDesk locally: installs/starts PostgreSQL when needed, then starts the web app
# with the demo seller loaded on an empty database. Usage: bash scripts/run.sh [dotnet run args]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source scripts/lib/postgres.sh
sellerdesk_ensure_postgres

export ASPNETCORE_URLS="${ASPNETCORE_URLS:-http://127.0.0.1:5080}"
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Production}"
export Demo__Seed="${Demo__Seed:-true}"
# The demo's sandbox marketplace pauses between day pages, so a pull started by hand shows its progress.
export Sandbox__PageDelay="${Sandbox__PageDelay:-00:00:00.150}"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

# --no-launch-profile: Properties/launchSettings.json would override the URL and environment.
exec dotnet run --project src/SellerDesk.Web -c Release --no-launch-profile "$@"
