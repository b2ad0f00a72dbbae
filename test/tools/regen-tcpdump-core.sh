#!/usr/bin/env bash
# Rebuilds test/golden/tcpdump/core/: captures for the link layers, file formats and output flags
# that tsdump's core handles, and tcpdump 4.99.3's output for each with many flag sets.
#   --recapture  remake the captures (root, network namespaces of our own, loopback traffic only)
# Frames that this kernel cannot put on a wire (802.1Q/802.1ad tags, BSD NULL/LOOP) are made from
# the real capture by a small converter (test/tools/pcap-convert.py), then read by the real tcpdump.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=$here/../golden/tcpdump/core
mkdir -p "$dir/pcap" "$dir/out"
conv="python3 $here/pcap-convert.py"
if [ "${1:-}" = --recapture ]; then
  ns=tsc-core
  cleanup() { ip netns del $ns 2>/dev/null || true; }
  trap cleanup EXIT
  cleanup
  ip netns add $ns
  ip -n $ns link set lo up
  ip netns exec $ns python3 -c "
import http.server, threading, socketserver
class H(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_GET(self):
        body = b'real server 1\n' * 40
        self.send_response(200); self.send_header('Content-Length', str(len(body))); self.end_headers(); self.wfile.write(body)
s = socketserver.TCPServer(('127.0.0.1', 8080), H); threading.Timer(8, s.shutdown).start(); s.serve_forever()" &
  srv=$!
  sleep 0.5
  cap() { # name tcpdump-args... : capture while the client runs
    local name=$1; shift
    ip netns exec $ns tcpdump -U "$@" -w "$dir/pcap/$name" 2>/tmp/tsc-core.log &
    local p=$!
    for _ in $(seq 50); do grep -q listening /tmp/tsc-core.log && break; sleep 0.1; done
    sleep 0.5
    ip netns exec $ns sh -c 'curl -s -o /dev/null http://127.0.0.1:8080/a; ping -c 2 -i 0.2 127.0.0.1 >/dev/null; curl -s -o /dev/null http://127.0.0.1:8080/b' || true
    sleep 0.5
    kill $p; wait $p 2>/dev/null || true
  }
  cap lo.pcap -i lo 'tcp or icmp'
  cap lo-s60.pcap -i lo -s 60 'tcp or icmp'
  cap lo-nano.pcap -i lo --time-stamp-precision=nano 'tcp or icmp'
  cap any-sll2.pcap -i any 'tcp or icmp'
  cap any-sll.pcap -i any -y LINUX_SLL 'tcp or icmp'
  kill $srv 2>/dev/null || true
  # Derived files: tags, BSD loopback headers, the other byte order, pcapng (with two interfaces).
  $conv vlan "$dir/pcap/lo.pcap" "$dir/pcap/vlan.pcap" 0x8100:10:0
  $conv vlan "$dir/pcap/lo.pcap" "$dir/pcap/qinq.pcap" 0x88a8:200:3 0x8100:2001:0
  $conv null "$dir/pcap/lo.pcap" "$dir/pcap/null.pcap"
  $conv loop "$dir/pcap/lo.pcap" "$dir/pcap/loop.pcap"
  $conv swap "$dir/pcap/lo-nano.pcap" "$dir/pcap/lo-nano-be.pcap"
  $conv unknown-ethertype "$dir/pcap/lo.pcap" "$dir/pcap/ethertype-88b5.pcap" 0x88b5
  editcap -F pcapng "$dir/pcap/lo.pcap" "$dir/pcap/lo.pcapng"
  mergecap -F pcapng -w "$dir/pcap/two-ifaces.pcapng" "$dir/pcap/lo.pcap" "$dir/pcap/any-sll2.pcap"
fi
command -v tcpdump >/dev/null || { echo "regen-tcpdump-core: tcpdump is needed" >&2; exit 1; }
flagsets=("-n" "-nn -e" "-n -v" "-n -vv" "-n -x" "-n -xx" "-n -X" "-n -XX" "-n -A" "-n -AA" "-n -q" "-n -S" "-n -t" "-n -tt" "-n -ttt" "-n -tttt" "-n -ttttt" "-n -#" "-n --nano" "-n -c 3" "-e -v -n" "-nn -e -x" "-n -e -q")
printf 'name\tpcap\toptions\texpected\n' >"$dir/cases.tsv"
rm -f "$dir"/out/*
for p in "$dir"/pcap/*; do
  f=$(basename "$p")
  for fl in "${flagsets[@]}"; do
    tag=$(echo "$fl" | tr -d ' ' | tr -c 'A-Za-z0-9#\n-' '_' | sed 's/#/num/g')
    name="${f%.*}$tag"
    out="out/$name.out"
    # shellcheck disable=SC2086
    TZ=GMT0 tcpdump -r "$p" $fl >"$dir/$out" 2>/dev/null
    printf '%s\tpcap/%s\t%s\t%s\n' "$name" "$f" "$fl" "$out" >>"$dir/cases.tsv"
  done
done
echo "regen-tcpdump-core: $(($(wc -l <"$dir/cases.tsv") - 1)) cases" >&2
