#!/usr/bin/env bash
# Makes the self-signed certificate that encrypts SellerDesk's Data Protection key ring (the keys that encrypt
# marketplace credentials), as a PKCS#12 file readable by its owner only (0600). Does nothing when the file exists.
# Usage: bash scripts/make-key-certificate.sh PATH PASSWORD [DAYS]   (see docs/decisions/0019-hardening.md)
set -euo pipefail
path="$1" password="$2" days="${3:-3650}"
if [ -s "$path" ]; then
  exit 0
fi
command -v openssl >/dev/null || { echo "[sellerdesk] ERROR: openssl is needed to make $path" >&2; exit 1; }
umask 077
dir="$(dirname "$path")"
mkdir -p "$dir"
chmod 700 "$dir"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
openssl req -x509 -newkey rsa:3072 -sha256 -nodes -days "$days" -subj "/CN=SellerDesk key ring" \
  -keyout "$work/key.pem" -out "$work/cert.pem" >/dev/null 2>&1
PASS="$password" openssl pkcs12 -export -inkey "$work/key.pem" -in "$work/cert.pem" -passout env:PASS -out "$path.tmp"
chmod 600 "$path.tmp"
mv "$path.tmp" "$path"
echo "[sellerdesk] Made the key-ring certificate $path (owner-only)." >&2
