#!/usr/bin/env bash
# kgate beside nginx and haproxy under the same load, in one run, with ../shared/bench/compare.sh.
# Usage: bench/load/compare-with-nginx.sh   (knobs of compare.sh, e.g. ROUNDS=3 DURATION=10, pass through)
# Builds kgate if needed, starts a throwaway OIDC issuer whose token the gateway accepts, and runs
# compare.sh with kgate as the candidate. Prints compare.sh's table (rps, p50, p99 per target).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
shared="${KGATE_SHARED_BENCH:-$root/../shared/bench}"
[[ -x "$shared/compare.sh" || -f "$shared/compare.sh" ]] || { echo "compare.sh not found in $shared" >&2; exit 1; }

"$root/kgate" version >/dev/null   # builds cli/target/kgate.jar on first use

idp_dir="$(mktemp -d)"
java -cp "$root/cli/target/kgate.jar" dev.kgate.sim.bench.BenchIdentityProvider "$idp_dir" > "$idp_dir/idp.log" 2>&1 &
idp_pid=$!
trap 'kill "$idp_pid" 2>/dev/null || true; rm -rf "$idp_dir"' EXIT
for _ in $(seq 1 100); do
  [[ -s "$idp_dir/token" ]] && break
  kill -0 "$idp_pid" 2>/dev/null || { cat "$idp_dir/idp.log" >&2; exit 1; }
  sleep 0.2
done
[[ -s "$idp_dir/token" ]] || { echo "the bench IdP did not start" >&2; exit 1; }

CANDIDATE_CMD="KGATE_BENCH_IDP_DIR=$idp_dir bash $root/bench/load/kgate-candidate.sh" \
CANDIDATE_PORT="${CANDIDATE_PORT:-28446}" \
CANDIDATE_PATH_PREFIX=/clusters/bench \
CANDIDATE_TOKEN="$(cat "$idp_dir/token")" \
  bash "$shared/compare.sh"
