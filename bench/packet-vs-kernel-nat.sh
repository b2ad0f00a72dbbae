#!/usr/bin/env bash
# bench/packet-vs-kernel-nat.sh — the packet plane (`tsvs run --plane packet`, LVS-NAT through a TUN
# device) beside the kernel's own NAT (iptables DNAT + conntrack, the LVS-NAT stand-in on a kernel
# without IPVS) and haproxy (two handshakes), in one run of ../shared/bench/nat-netns.sh: the same
# namespaces (pb*, 198.18.0.0/15), the same wrk and iperf3 loads, rounds with rotating order.
# Prints the harness's tables on stderr, then the ratios tsvs/dnat and tsvs/haproxy per test
# (median [min-max] over rounds) and one JSON object on stdout.
#
# usage: bench/packet-vs-kernel-nat.sh [nat-netns.sh options, e.g. --runs 3 --duration 5 --offload off]
#   TSVS_CMD   how to start tsvs (default: node dist/cli/tsvs.js; built first if missing)
#   NAT_NETNS  the harness (default: ../shared/bench/nat-netns.sh next to this repository)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
harness="${NAT_NETNS:-$root/../shared/bench/nat-netns.sh}"
tsvs="${TSVS_CMD:-node $root/dist/cli/tsvs.js}"
if [ ! -x "$harness" ]; then
  echo "packet-vs-kernel-nat: harness $harness not found (set NAT_NETNS=/path/to/nat-netns.sh)" >&2
  exit 1
fi
if [ "$(id -u)" != 0 ]; then
  echo "packet-vs-kernel-nat: needs root (network namespaces, the packet plane)" >&2
  exit 1
fi
if [ -z "${TSVS_CMD:-}" ] && [ ! -f "$root/dist/cli/tsvs.js" ]; then
  (cd "$root" && npm run build >&2)
fi
out="$(mktemp /tmp/packet-vs-kernel-nat.XXXXXX.json)"
trap 'rm -f "$out"' EXIT
"$harness" --targets dnat,haproxy \
  --candidate "$tsvs run --plane packet --rules {rules} --socket {workdir}/tsvs.sock --state {workdir}/tsvs.state" \
  --candidate-name tsvs --out "$out" "$@" >/dev/null
python3 - "$out" <<'PY'
import json, statistics, sys
d = json.load(open(sys.argv[1]))
if d.get('error'):
    print(json.dumps({'bench': 'packet-vs-kernel-nat', 'error': d['error']})); sys.exit(1)
def stat(xs):
    return {'median': round(statistics.median(xs), 3), 'min': round(min(xs), 3), 'max': round(max(xs), 3), 'runs': xs}
out = {}
for metric, by in sorted((d.get('ratios') or {}).items()):
    t = by.get('tsvs/dnat'); h = by.get('haproxy/dnat')
    if not t:
        continue
    out[f'{metric} tsvs/dnat'] = stat(t['runs'])
    if h and len(h['runs']) == len(t['runs']):
        # Both are ratios to dnat within the same round: their quotient is tsvs/haproxy in that round.
        out[f'{metric} tsvs/haproxy'] = stat([round(a / b, 3) for a, b in zip(t['runs'], h['runs']) if b])
print('| ratio | median [min-max] |', file=sys.stderr)
print('|---|---|', file=sys.stderr)
for k, v in out.items():
    print(f"| {k} | {v['median']} [{v['min']}-{v['max']}] |", file=sys.stderr)
print(json.dumps({'bench': 'packet-vs-kernel-nat', 'config': d.get('config'), 'ratios': out}))
PY
