#!/usr/bin/env bash
# Filter speed: tsdump vs tcpdump on one big pcap, five expressions of the seeds, in one run.
# Prints each side's wall time and the ratio (tcpdump time / ours: >1 means we are faster).
# Uses `tsdump -r F -w /dev/null EXPR` when the tsdump CLI works; otherwise the filter alone
# (bench/filter-run.ts: read + compiled filter, no writer) and says so.
set -euo pipefail
cd "$(dirname "$0")/.."
pcap=bench/data/big.pcap
[ -f "$pcap" ] || python3 /work/shared/bench/gen-pcap.py --packets 1000000 --seed 1 --out "$pcap" >/dev/null
exprs=(
  'host 10.0.0.5'
  'port 80'
  'tcp[tcpflags] & tcp-syn != 0'
  'tcp[((tcp[12:1] & 0xf0) >> 2):4] = 0x47455420'
  'tcp and (port 80 or port 443 or port 8080) and not host 10.0.0.1 and (net 10.0.0.0/8 or net 192.168.0.0/16) and not icmp'
)
if node dist/cli/tsdump.js -r test/golden/filter/lo.pcap -w /dev/null tcp >/dev/null 2>&1; then
  ours=(node dist/cli/tsdump.js -r "$pcap" -w /dev/null); mode='tsdump -r -w /dev/null'
else
  node_modules/.bin/esbuild bench/filter-run.ts --bundle --platform=node --format=esm --outfile=/tmp/tsvs-filter-run.mjs --log-level=error
  ours=(node /tmp/tsvs-filter-run.mjs "$pcap"); mode='filter only (tsdump CLI not ready): read + compiled filter'
fi
echo "# $mode vs tcpdump -r -w /dev/null; $(du -h "$pcap" | cut -f1) pcap"
cat "$pcap" >/dev/null   # warm the page cache for both sides
printf '%-60s %9s %9s %7s\n' expression ours_s tcpdump_s ratio
for e in "${exprs[@]}"; do
  t0=$(date +%s.%N); "${ours[@]}" "$e" >/dev/null; t1=$(date +%s.%N)
  tcpdump -r "$pcap" -w /dev/null "$e" 2>/dev/null; t2=$(date +%s.%N)
  awk -v e="${e:0:60}" -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN { o=b-a; t=c-b; printf "%-60s %9.2f %9.2f %7.2f\n", e, o, t, t/o }'
done
