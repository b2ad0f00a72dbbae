#!/usr/bin/env bash
# tsdump beside tcpdump on the same 1M-packet pcap, in one run: reading and printing
# (`-nn -r F > /dev/null`) and reading and writing (`-r F -w out.pcap`); tshark beside tsdump for
# `-q -z conv,tcp` and `-q -z expert`. Rounds alternate the order; prints medians and same-round
# ratios (tsdump/peer wall time; < 1 means tsdump is faster) and peak RSS.
# usage: bench/tsdump-vs-tcpdump.sh [--runs N] [--packets N] [--data-dir DIR] [--no-tshark]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
runs=3 packets=1000000 data=$here/data tshark=1
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --packets) packets=$2; shift 2 ;;
    --data-dir) data=$2; shift 2 ;;
    --no-tshark) tshark=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
for t in tcpdump /usr/bin/time python3; do command -v $t >/dev/null || { echo "needs $t" >&2; exit 2; }; done
mkdir -p "$data"
pcap=$data/gen-$packets-s1.pcap
[ -f "$pcap" ] || python3 "$root/../shared/bench/gen-pcap.py" --packets "$packets" --seed 1 --out "$pcap" >&2
[ -f "$root/dist/cli/tsdump.js" ] || (cd "$root" && npx tsc -p tsconfig.build.json)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat "$pcap" >/dev/null # page cache
tsdump="node $root/dist/cli/tsdump.js"

# measure NAME CMD: appends "name wall_s rss_kb" to $tmp/results
measure() {
  local name=$1; shift
  /usr/bin/time -f '%e %M' -o "$tmp/t" sh -c "$*" >/dev/null 2>"$tmp/err" || { echo "$name failed: $(tail -2 "$tmp/err")" >&2; return 1; }
  echo "$name $(cat "$tmp/t")" >>"$tmp/results"
}

cases=(read write)
[ $tshark = 1 ] && command -v tshark >/dev/null && cases+=(conv expert)
for ((r = 1; r <= runs; r++)); do
  for c in "${cases[@]}"; do
    case $c in
      read) peer="tcpdump -nn -r $pcap"; cand="$tsdump -nn -r $pcap" ;;
      write) peer="tcpdump -r $pcap -w $tmp/peer.pcap"; cand="$tsdump -r $pcap -w $tmp/cand.pcap" ;;
      conv) peer="tshark -r $pcap -q -z conv,tcp"; cand="$tsdump -r $pcap -q -z conv,tcp" ;;
      expert) peer="tshark -r $pcap -q -z expert"; cand="$tsdump -r $pcap -q -z expert" ;;
    esac
    if (( r % 2 )); then measure "$c peer" "$peer"; measure "$c tsdump" "$cand"
    else measure "$c tsdump" "$cand"; measure "$c peer" "$peer"; fi
    echo "round $r $c done" >&2
  done
done
# Output equality, once.
same_read=$(if [ "$(tcpdump -nn -r "$pcap" 2>/dev/null | sha256sum)" = "$($tsdump -nn -r "$pcap" 2>/dev/null | sha256sum)" ]; then echo yes; else echo no; fi)
same_write=$(if cmp -s "$tmp/peer.pcap" "$tmp/cand.pcap"; then echo yes; else echo no; fi)
python3 - "$tmp/results" "$runs" "$same_read" "$same_write" <<'PY'
import statistics, sys, json
path, runs, same_read, same_write = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
rows = [l.split() for l in open(path)]
data = {}
for case, who, wall, rss in rows:
    data.setdefault(case, {}).setdefault(who, []).append((float(wall), int(rss)))
peer_name = {'read': 'tcpdump -nn -r', 'write': 'tcpdump -r -w', 'conv': 'tshark -z conv,tcp', 'expert': 'tshark -z expert'}
out = {}
print(f"{'case':<22} {'peer s':>8} {'tsdump s':>9} {'ratio':>7} {'peer MB':>8} {'tsdump MB':>10}")
for case, d in data.items():
    p = d['peer']; t = d['tsdump']
    ratios = [t[i][0] / p[i][0] for i in range(min(len(p), len(t)))]
    med = lambda xs: statistics.median(xs)
    out[case] = {'peer_s': med([x[0] for x in p]), 'tsdump_s': med([x[0] for x in t]), 'ratio': med(ratios),
                 'ratio_min': min(ratios), 'ratio_max': max(ratios),
                 'peer_rss_mb': max(x[1] for x in p) / 1024, 'tsdump_rss_mb': max(x[1] for x in t) / 1024}
    o = out[case]
    print(f"{peer_name[case]:<22} {o['peer_s']:8.3f} {o['tsdump_s']:9.3f} {o['ratio']:7.3f} {o['peer_rss_mb']:8.0f} {o['tsdump_rss_mb']:10.0f}")
print(f"output identical: read={same_read} write={same_write}")
print(json.dumps({'runs': runs, 'cases': out, 'identical': {'read': same_read, 'write': same_write}}))
PY
