#!/usr/bin/env bash
# Installs what the tests need (idempotently), then builds and runs every test.
# Usage: ./test.sh [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

# Debian packages the tests use. Servers that integration tests start (Prometheus, Alertmanager,
# PostgreSQL, ...) are added here as the features that talk to them arrive; python3-statsmodels and
# python3-sklearn are the reference implementations detection is checked against; chromium is the
# browser the console's browser tests drive (Playwright downloads none).
packages=(ansible-core chromium prometheus prometheus-alertmanager python3 python3-statsmodels python3-sklearn)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "test.sh: installing ${missing[*]}" >&2
  sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

command -v dotnet >/dev/null || { echo "test.sh: the .NET SDK (10.0 or later) is required: https://dotnet.microsoft.com/download" >&2; exit 1; }

dotnet restore Medic.slnx --nologo -v quiet
dotnet build Medic.slnx -c Release --no-restore --nologo -v quiet
dotnet test Medic.slnx -c Release --no-build --nologo -v quiet --logger "console;verbosity=normal" "$@"
