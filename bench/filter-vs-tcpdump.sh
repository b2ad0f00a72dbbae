#!/usr/bin/env bash
# Filter speed: tsdump vs tcpdump on one big pcap, five expressions of the seeds, in one run.
# Prints each side's median wall time over RUNS rounds (default 5) and the ratio (tcpdump time / ours).
# Runs `tsdump -r F -w /dev/null EXPR`, as `tcpdump -r F -w /dev/null EXPR`.
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
# Ours runs as the installed `tsdump` command does (npm links dist/cli/tsdump.js; its shebang drops
# NODE_EXTRA_CA_CERTS, which costs Node ~70 ms per start where it is set). TSDUMP overrides it,
# e.g. TSDUMP='node dist/cli/tsdump.js' for a plain node start.
[ -x dist/cli/tsdump.js ] || npm run -s build
read -r -a ours <<< "${TSDUMP:-dist/cli/tsdump.js}"
ours+=(-r "$pcap" -w /dev/null); mode="${TSDUMP:-tsdump} -r -w /dev/null"
runs=${RUNS:-5}
echo "# $mode vs tcpdump -r -w /dev/null; $(du -hL "$pcap" | cut -f1) pcap; median of $runs rounds (order alternates)"
cat "$pcap" >/dev/null   # warm the page cache for both sides
printf '%-60s %9s %9s %7s %9s\n' expression ours_s tcpdump_s ratio matched
for e in "${exprs[@]}"; do
  ours_t=() peer_t=()
  for ((r = 0; r < runs; r++)); do
    if (( r % 2 )); then
      t0=$(date +%s.%N); tcpdump -r "$pcap" -w /dev/null "$e" 2>/dev/null; t1=$(date +%s.%N)
      "${ours[@]}" "$e" >/dev/null 2>&1; t2=$(date +%s.%N)
      peer_t+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')"); ours_t+=("$(awk -v a="$t1" -v b="$t2" 'BEGIN{print b-a}')")
    else
      t0=$(date +%s.%N); "${ours[@]}" "$e" >/dev/null 2>&1; t1=$(date +%s.%N)
      tcpdump -r "$pcap" -w /dev/null "$e" 2>/dev/null; t2=$(date +%s.%N)
      ours_t+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')"); peer_t+=("$(awk -v a="$t1" -v b="$t2" 'BEGIN{print b-a}')")
    fi
  done
  matched=$(tcpdump -r "$pcap" -w - "$e" 2>/dev/null | tcpdump -r - 2>/dev/null | wc -l)
  o=$(printf '%s\n' "${ours_t[@]}" | sort -g | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')
  t=$(printf '%s\n' "${peer_t[@]}" | sort -g | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')
  awk -v e="${e:0:60}" -v o="$o" -v t="$t" -v m="$matched" 'BEGIN { printf "%-60s %9.3f %9.3f %7.2f %9d\n", e, o, t, t/o, m }'
done
echo "# ratio = tcpdump time / ours: > 1 means tsdump is faster"
