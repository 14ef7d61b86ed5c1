#!/usr/bin/env bash
# Installs the Debian packages the build needs (the C libraries behind the SwiftPM system-library targets).
# Idempotent: does nothing when everything is present. Needs root (or sudo) only when something is missing.
set -euo pipefail
packages=(pkg-config librdkafka-dev libssl-dev libcurl4-openssl-dev libmicrohttpd-dev python3 python3-venv)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing Debian packages: ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
