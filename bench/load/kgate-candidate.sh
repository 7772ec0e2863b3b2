#!/usr/bin/env bash
# Started by ../shared/bench/compare.sh as its CANDIDATE_CMD (see compare-with-nginx.sh): writes a
# gateway config from the BENCH_* environment compare.sh exports and runs kgate in the foreground,
# so the measurement includes real TLS, token verification, policy, audit (fsync on), impersonation
# and pooled upstreams.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
idp_dir="${KGATE_BENCH_IDP_DIR:?set by compare-with-nginx.sh}"

printf 'bench-upstream-token' > "$BENCH_TMP/kgate-upstream.token"
cat > "$BENCH_TMP/kgate-policy.yaml" <<EOF
roles:
  - name: bench
    subjects: { groups: [bench] }
    clusters: [bench]
    impersonate: { groups: ["kgate:bench"] }
    rules:
      - { verbs: [get, list, watch], resources: [pods], namespaces: ["*"] }
EOF
cat > "$BENCH_TMP/kgate.yaml" <<EOF
listen: { address: 127.0.0.1, port: ${CANDIDATE_PORT:?}, tls: { cert: $BENCH_SERVER_CERT, key: $BENCH_SERVER_KEY } }
oidc:
  issuers:
    - url: $(cat "$idp_dir/issuer")
      audiences: [kubernetes]
      clientId: kgate
      ca: $idp_dir/idp-ca.crt
      claims: { username: email, groups: groups }
clusters:
  - name: bench
    server: $BENCH_UPSTREAM_URL
    ca: $BENCH_CA_CERT
    credentials: { tokenFile: $BENCH_TMP/kgate-upstream.token }
audit: { dir: $BENCH_TMP/kgate-audit }
policy: $BENCH_TMP/kgate-policy.yaml
# One benchmark user sends all the load: lift the per-person fair-use limits out of the way.
limits: { perUser: { requestsPerSecond: 100000, burst: 1000000, concurrentRequests: 100000 } }
EOF
# One CPU is shared by the proxy and the upstream (compare.sh pins them): size the JVM for that.
# KGATE_BENCH_JAVA_OPTS adds JVM options, e.g. a flight recording while profiling.
# shellcheck disable=SC2086
exec java -Xms512m -Xmx512m -XX:+UseParallelGC -XX:ActiveProcessorCount=1 ${KGATE_BENCH_JAVA_OPTS:-} \
  -jar "$root/cli/target/kgate.jar" serve --config "$BENCH_TMP/kgate.yaml"
