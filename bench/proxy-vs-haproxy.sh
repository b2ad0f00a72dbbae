#!/usr/bin/env bash
# Proxy plane speed: tsvs vs haproxy (mode tcp) and nginx (stream) on loopback, side by side in one
# run of /work/shared/bench/l4-proxy.sh (keep-alive req/s, new connection per request req/s, bulk
# Gbit/s both ways). The candidate is `tsvs run --rules {rules}` when that command works, else
# bench/proxy-plane-run.ts (director + ProxyPlane, bundled with esbuild). Needs root (netns).
#
#   bench/proxy-vs-haproxy.sh [--runs N] [--duration S] [--tests keepalive,close,...] [--naive]
#                             [--floor] [--runner] [--out FILE.json] [other l4-proxy.sh options]
# --runner uses bench/proxy-plane-run.ts even when `tsvs run` works. --naive also runs the harness once more with the naive node pipe() proxy as the candidate
# (bench/examples/naive-node-proxy.mjs), the floor to beat. --floor runs it once more with
# bench/handle-floor-proxy.mjs: a relay on Node's TCP handles with nothing else (no director, no
# accounting), how close to haproxy Node's per-connection machinery alone gets. The JSON goes to --out (default
# /tmp/tsvs-proxy-vs-haproxy-DATE.json, outside git); the ratios table is printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
harness=${L4_PROXY:-/work/shared/bench/l4-proxy.sh}
[ -x "$harness" ] || { echo "proxy-vs-haproxy: $harness not found (set L4_PROXY)" >&2; exit 2; }
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=/tmp/tsvs-proxy-vs-haproxy-$stamp.json
naive=0
floor=0
runner=0
pass=()
while [ $# -gt 0 ]; do
  case $1 in
    --out) out=$2; shift 2 ;;
    --out=*) out=${1#--out=}; shift ;;
    --naive) naive=1; shift ;;
    --floor) floor=1; shift ;;
    --runner) runner=1; shift ;;
    *) pass+=("$1"); shift ;;
  esac
done

if [ -n "${TSVS_CANDIDATE:-}" ]; then
  cand=$TSVS_CANDIDATE; mode='TSVS_CANDIDATE'
elif [ $runner = 0 ] && [ -f dist/cli/tsvs.js ] && timeout 10 node dist/cli/tsvs.js run --help >/dev/null 2>&1; then
  # Its own control socket and no state file: never touch a daemon or state of this host.
  cand="exec node $repo/dist/cli/tsvs.js run --rules {rules} --socket {workdir}/tsvs.sock --no-state"
  mode='tsvs run (dist/: run npm run build first)'
else
  bundle=/tmp/tsvs-proxy-plane-run.mjs
  node_modules/.bin/esbuild bench/proxy-plane-run.ts --bundle --platform=node --format=esm \
    --outfile=$bundle --log-level=error
  cand="exec node $bundle --rules {rules}"; mode='bench/proxy-plane-run.ts (tsvs run not ready)'
fi
echo "# candidate ($mode): $cand" >&2

"$harness" --candidate "$cand" --candidate-name tsvs --out "$out" "${pass[@]}" >/dev/null
files=("$out")
if [ $naive = 1 ]; then
  nout=${out%.json}-naive.json
  "$harness" --candidate "node $(dirname "$harness")/examples/naive-node-proxy.mjs {listen}={backends}" \
    --candidate-name naive-node --out "$nout" "${pass[@]}" >/dev/null
  files+=("$nout")
fi
if [ $floor = 1 ]; then
  fout=${out%.json}-floor.json
  "$harness" --candidate "exec node $repo/bench/handle-floor-proxy.mjs {listen}={backends}" \
    --candidate-name handle-floor --out "$fout" "${pass[@]}" >/dev/null
  files+=("$fout")
fi

python3 - "${files[@]}" <<'EOF'
import json, sys
for path in sys.argv[1:]:
    j = json.load(open(path))
    if 'error' in j:
        print(f"{path}: error: {j['error']}")
        continue
    cfg = j.get('config', {})
    print(f"# {path}  runs={cfg.get('runs')} duration={cfg.get('duration_s')}s")
    s = j['summary']
    for test, targets in s.items():
        for t, m in targets.items():
            v = m.get('rps') or m.get('gbit_s')
            cpu = m.get('lb_cpu_us_per_req')
            if v:
                extra = f"  cpu/req {cpu['median']} us" if cpu else ''
                print(f"  {test:10} {t:10} {v['median']:>12,} [{v['min']:,}-{v['max']:,}]{extra}")
    for key, pairs in j['ratios'].items():
        for pair, r in pairs.items():
            if '/' in pair and not pair.endswith('/direct'):
                print(f"  ratio {key:18} {pair:20} {r['median']:.3f} [{r['min']:.3f}-{r['max']:.3f}]")
EOF
