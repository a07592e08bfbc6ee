#!/usr/bin/env bash
# Installs Debian's PostgreSQL server binaries for the tests when they are missing (the tests
# start private clusters of their own with them; nothing is configured system-wide, and the
# package's default cluster is not needed). Needs root, as on CI and the dev machines here.
set -euo pipefail
if [ -n "${PG_BINDIR:-}" ] && [ -x "$PG_BINDIR/initdb" ]; then
  exit 0
fi
if compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "setup:postgres: PostgreSQL server binaries are missing; run as root, or: sudo apt-get install -y postgresql" >&2
  exit 1
fi
apt-get update -qq
# postgresql-common would create and start a system cluster; the tests need only the binaries.
mkdir -p /etc/postgresql-common/createcluster.d
echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.d/flinks-gateway-tests.conf
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold postgresql
