#!/usr/bin/env bash
# Makes the IPv4-family golden captures (tunnels are crafted by craft-ipv4.ts: this kernel has no
# ipip/gre devices): real traffic between network namespaces of this script's
# own (a client, a router, a server), written by tcpdump -w. Removes everything it made, even on
# failure. Only addresses inside these namespaces are used.
#   client 10.244.1.1 --veth-- 10.244.1.254 router 10.244.2.254 --veth-- 10.244.2.1 server
# usage (root): test/tools/capture-tcpdump-ipv4.sh [OUTDIR]
set -euo pipefail
out=${1:-$(dirname "$0")/../golden/tcpdump/ipv4/pcap}
mkdir -p "$out"
out=$(cd "$out" && pwd)
C=tsv4-cli R=tsv4-rtr S=tsv4-srv
CA=10.244.1.1 RC=10.244.1.254 RS=10.244.2.254 SA=10.244.2.1
web=$(mktemp -d)
pids=()

cleanup() {
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  for n in $C $R $S; do ip netns del $n 2>/dev/null || true; done
  rm -rf "$web"
}
trap cleanup EXIT INT TERM

for n in $C $R $S; do ip netns del $n 2>/dev/null || true; done
ip netns add $C
ip netns add $R
ip netns add $S
ip link add v4c type veth peer name v4rc
ip link add v4s type veth peer name v4rs
ip link set v4c netns $C
ip link set v4rc netns $R
ip link set v4rs netns $R
ip link set v4s netns $S
# No IPv6 on these links: its neighbour discovery would only add noise to IPv4 captures.
for n in $C $R $S; do
  ip -n $n link set lo up
  ip netns exec $n sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
ip -n $C addr add $CA/24 dev v4c
ip -n $R addr add $RC/24 dev v4rc
ip -n $R addr add $RS/24 dev v4rs
ip -n $S addr add $SA/24 dev v4s
# Fixed MACs so the -e outputs do not change from one capture run to the next.
ip -n $C link set v4c address 02:00:0a:f4:01:01
ip -n $R link set v4rc address 02:00:0a:f4:01:fe
ip -n $R link set v4rs address 02:00:0a:f4:02:fe
ip -n $S link set v4s address 02:00:0a:f4:02:01
for d in "$C v4c" "$R v4rc" "$R v4rs" "$S v4s"; do
  set -- $d
  ip -n $1 link set $2 up
  ip netns exec $1 ethtool -K $2 tso off gso off gro off >/dev/null 2>&1 || true
done
ip -n $C route add default via $RC
ip -n $S route add default via $RS
ip netns exec $R sysctl -qw net.ipv4.ip_forward=1
sleep 0.5

start_capture() { # name ns dev [snaplen] [filter]
  local log=/tmp/tsv4-tcpdump.$$.log
  : >"$log"
  ip netns exec "$2" tcpdump -i "$3" --immediate-mode -U -s "${4:-0}" -w "$out/$1.pcap" ${5:+"$5"} 2>"$log" &
  pids+=($!)
  for _ in $(seq 50); do grep -q listening "$log" && break; sleep 0.1; done
}
stop_capture() {
  sleep 0.5
  kill "${pids[-1]}" 2>/dev/null || true
  wait "${pids[-1]}" 2>/dev/null || true
  unset 'pids[-1]'
}

# A web server on the server: a small page and a 300 kB file.
echo '<html><body>hello from tsvs</body></html>' >"$web/index.html"
head -c 300000 /dev/zero | tr '\0' 'x' >"$web/big.txt"
ip netns exec $S python3 -m http.server 80 --bind $SA --directory "$web" >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 50); do ip netns exec $S ss -ltn | grep -q ":80 " && break; sleep 0.1; done

# 1. ARP, ping, HTTP GET with a 3-way handshake and close, UDP to a closed port, TCP to a closed
#    port (RST), TTL exceeded from the router.
ip -n $C neigh flush all
start_capture basic $C v4c
ip netns exec $C ping -c 2 -i 0.2 $SA >/dev/null
ip netns exec $C curl -s -o /dev/null http://$SA/
ip netns exec $C curl -s -o /dev/null -H 'X-Tsvs: golden' http://$SA/missing
echo hello | ip netns exec $C socat -u - UDP4-SENDTO:$SA:9999 || true
ip netns exec $C curl -s --max-time 2 http://$SA:81/ >/dev/null || true
ip netns exec $C ping -c 1 -t 1 $SA >/dev/null || true
ip netns exec $C ping -c 1 -s 3000 $SA >/dev/null
ip netns exec $C ping -c 1 -M do -s 1400 -Q 0x10 $SA >/dev/null || true
stop_capture

# 2. A download with loss: retransmissions, duplicate ACKs and SACK blocks.
ip netns exec $R iptables -A FORWARD -p tcp --sport 80 -m statistic --mode nth --every 23 --packet 7 -j DROP
start_capture loss $C v4c 200
ip netns exec $C curl -s -o /dev/null http://$SA/big.txt || echo "loss: curl failed ($?)"
stop_capture
ip netns exec $R iptables -F FORWARD

# 3. SYN retransmissions to a server that drops everything on port 8080.
ip netns exec $S iptables -A INPUT -p tcp --dport 8080 -j DROP
start_capture synretry $C v4c
ip netns exec $C curl -s --connect-timeout 4 http://$SA:8080/ >/dev/null || true
stop_capture
ip netns exec $S iptables -F INPUT

# 4. The router on "any" (Linux cooked): every forwarded packet twice, In and Out; and the
#    server's loopback (HTTP to 127.0.0.1, where the MTU allows 64 kB segments).
ip netns exec $S python3 -m http.server 8080 --bind 127.0.0.1 --directory "$web" >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 50); do ip netns exec $S ss -ltn | grep -q "127.0.0.1:8080" && break; sleep 0.1; done
start_capture router-any $R any
ip netns exec $C ping -c 1 $SA >/dev/null
ip netns exec $C curl -s -o /dev/null http://$SA/
echo hi | ip netns exec $C socat -u - UDP4-SENDTO:$SA:9999 || true
stop_capture
start_capture loopback $S lo
ip netns exec $S curl -s -o /dev/null http://127.0.0.1:8080/
ip netns exec $S curl -s -o /dev/null -H "Connection: close" http://127.0.0.1:8080/missing
ip netns exec $S ping -c 1 127.0.0.1 >/dev/null
stop_capture

# 5. IGMPv3 membership reports (a multicast listener joins and leaves).
start_capture igmp $C v4c 0 igmp
timeout 1 ip netns exec $C socat -u UDP4-RECV:5000,ip-add-membership=239.1.2.3:v4c - >/dev/null 2>&1 || true
stop_capture

ls -l "$out"
