#!/usr/bin/env bash
# Rebuilds test/golden/analysis/: tshark 4.0's per-frame analysis fields and -z outputs for every
# capture in test/golden/analysis/pcap/. With --recapture, first remakes the captures in network
# namespaces (test/tools/analysis-captures.sh, root). Never edit the expected files by hand.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=$here/../golden/analysis
if [ "${1:-}" = --recapture ]; then bash "$here/analysis-captures.sh" "$dir/pcap"; fi
command -v tshark >/dev/null || { echo "regen-analysis: tshark is needed (apt-get install -y tshark)" >&2; exit 1; }
fields=$(cat "$dir/fields.txt")
eargs=()
for f in $fields; do eargs+=(-e "$f"); done
rm -rf "$dir/expected"
mkdir -p "$dir/expected"
for p in "$dir"/pcap/*.pcap; do
  n=$(basename "$p" .pcap)
  out=$dir/expected/$n
  mkdir -p "$out"
  tshark -r "$p" -T fields -E header=y -E separator=, -E occurrence=f "${eargs[@]}" >"$out/fields.csv" 2>/dev/null
  tshark -r "$p" -q -z expert >"$out/expert.txt" 2>/dev/null
  for t in tcp udp ip ipv6; do tshark -r "$p" -q -z conv,$t >"$out/conv-$t.txt" 2>/dev/null; done
  tshark -r "$p" -q -z endpoints,ip >"$out/endpoints-ip.txt" 2>/dev/null
  tshark -r "$p" -q -z io,stat,1 >"$out/io-stat-1.txt" 2>/dev/null
  tshark -r "$p" -q -z io,stat,0.01 >"$out/io-stat-0.01.txt" 2>/dev/null
  # Follow outputs only for the small captures (a bulk transfer's would be megabytes of text).
  if [ "$(stat -c %s "$p")" -lt 100000 ]; then
    for m in ascii hex raw; do tshark -r "$p" -q -z follow,tcp,$m,0 >"$out/follow-$m-0.txt" 2>/dev/null; done
  fi
  echo "regen-analysis: $n" >&2
done
