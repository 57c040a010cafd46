#!/usr/bin/env bash
# `npm run test:native [-- vitest args]`: the test suite on the machine's native PostgreSQL, shaped like
# Supabase. Uses TEST_DATABASE_URL when set; otherwise prepares the database (needs root, see
# prepare-native-postgres.sh) and uses the URL it prints.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  TEST_DATABASE_URL="$(bash scripts/ci/prepare-native-postgres.sh | sed -n 's/^TEST_DATABASE_URL=//p' | tail -1)"
fi
export TEST_DATABASE_URL
exec npx vitest run "$@"
