#!/bin/sh
# Installs the Debian/Ubuntu packages the portal needs, if any is missing:
#   libpango / libharfbuzz-subset0  WeasyPrint renders PDFs (without harfbuzz-subset it falls back to a 40x slower path)
#   fonts-noto-cjk                  Chinese text in documents
#   poppler-utils, libnss3-tools    `pdfsig` and `certutil`, the independent verifier the tests check signatures with
# As root it installs them with apt-get; otherwise it prints the command to run and fails.
set -eu
PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk poppler-utils libnss3-tools"

missing=""
for package in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing="$missing $package"
done
# A bare Debian/Ubuntu python3 has no venv module until python3-venv is installed.
python3 -c "import ensurepip, venv" 2>/dev/null || missing="$missing python3-venv"
[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "missing system packages:$missing (install them with your package manager)" >&2
    exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "missing system packages:$missing" >&2
    echo "install them with:  sudo apt-get install -y$missing" >&2
    exit 1
fi
echo "installing system packages:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
