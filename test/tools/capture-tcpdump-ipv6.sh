#!/usr/bin/env bash
# Makes the IPv6 golden captures: real traffic between network namespaces of this script's own
# (a client, a router, a server), written by tcpdump -w. Removes everything it made, even on
# failure. Only ULA addresses inside these namespaces are used.
#   client fd00:61::1 --veth-- fd00:61::fe router fd00:62::fe --veth (MTU 1280)-- fd00:62::1 server
# usage (root): test/tools/capture-tcpdump-ipv6.sh [OUTDIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../golden/tcpdump/ipv6/pcap}
mkdir -p "$out"
out=$(cd "$out" && pwd)
C=tsv6-cli R=tsv6-rtr S=tsv6-srv
CA=fd00:61::1 RC=fd00:61::fe RS=fd00:62::fe SA=fd00:62::1
pids=()

cleanup() {
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  for n in $C $R $S; do ip netns del $n 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

for n in $C $R $S; do ip netns del $n 2>/dev/null || true; done
ip netns add $C
ip netns add $R
ip netns add $S
ip link add v6c type veth peer name v6rc
ip link add v6s type veth peer name v6rs
ip link set v6c netns $C
ip link set v6rc netns $R
ip link set v6rs netns $R
ip link set v6s netns $S
# Fixed MACs (and so fixed link-local addresses) so that outputs do not change between runs.
ip -n $C link set v6c address 02:00:00:61:00:01
ip -n $R link set v6rc address 02:00:00:61:00:fe
ip -n $R link set v6rs address 02:00:00:62:00:fe
ip -n $S link set v6s address 02:00:00:62:00:01
ip -n $R link set v6rs mtu 1280
ip -n $S link set v6s mtu 1280
for n in $C $R $S; do
  ip -n $n link set lo up
  # No IPv4 noise; no router solicitations of the kernel's own (the RA capture sends one itself).
  ip netns exec $n sysctl -qw net.ipv6.conf.all.router_solicitations=0 net.ipv6.conf.default.router_solicitations=0
done
ip netns exec $R sysctl -qw net.ipv6.conf.all.forwarding=1
for d in "$C v6c" "$R v6rc" "$R v6rs" "$S v6s"; do
  set -- $d
  ip netns exec $1 sysctl -qw net.ipv6.conf.$2.router_solicitations=0
  ip netns exec $1 ethtool -K $2 tso off gso off gro off >/dev/null 2>&1 || true
done
ip -n $C addr add $CA/64 dev v6c nodad
ip -n $R addr add $RC/64 dev v6rc nodad
ip -n $R addr add $RS/64 dev v6rs nodad
ip -n $S addr add $SA/64 dev v6s nodad
for d in "$C v6c" "$R v6rc" "$R v6rs" "$S v6s"; do
  set -- $d
  ip -n $1 link set $2 up
done
ip -n $C -6 route add default via $RC
ip -n $S -6 route add default via $RS
# Let link-local DAD and the first MLD reports pass before any capture starts.
sleep 2.5

start_capture() { # name ns dev [snaplen] [filter] [link type]
  local log=/tmp/tsv6-tcpdump.$$.log
  : >"$log"
  ip netns exec "$2" tcpdump -i "$3" ${6:+-y "$6"} --immediate-mode -U -s "${4:-0}" -w "$out/$1.pcap" ${5:+"$5"} 2>"$log" &
  pids+=($!)
  for _ in $(seq 50); do grep -q listening "$log" && break; sleep 0.1; done
}
stop_capture() {
  sleep 0.5
  kill "${pids[-1]}" 2>/dev/null || true
  wait "${pids[-1]}" 2>/dev/null || true
  unset 'pids[-1]'
}

# A TCP service on the server that answers one line and closes.
ip netns exec $S socat TCP6-LISTEN:8080,bind=[$SA],reuseaddr,fork SYSTEM:'echo hello from tsvs' >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 50); do ip netns exec $S ss -ltn | grep -q ":8080 " && break; sleep 0.1; done

# 1. Neighbour discovery (NS/NA), ping6, a TCP handshake with data and close, UDP to a closed
#    port (port unreachable), hop limit exceeded from the router, packet too big from the router
#    (1500-byte fragments do not fit the 1280 link) and fragments (ping -s 3000, -s 1400).
ip -n $C neigh flush all
ip -n $R neigh flush all
start_capture basic $C v6c
ip netns exec $C ping -6 -c 2 -i 0.2 $SA >/dev/null
echo hi | ip netns exec $C socat -t 1 - TCP6:[$SA]:8080 >/dev/null
echo hello | ip netns exec $C socat -u - UDP6-SENDTO:[$SA]:9999 || true
ip netns exec $C ping -6 -c 1 -t 1 $SA >/dev/null || true
# The first large ping learns the path MTU from the router's packet too big; the next go through.
ip netns exec $C ping -6 -c 1 -W 1 -s 3000 $SA >/dev/null || true
ip netns exec $C ping -6 -c 1 -s 3000 $SA >/dev/null
ip netns exec $C ping -6 -c 1 -s 1400 $SA >/dev/null
stop_capture

# 2. Router discovery: a router solicitation from the client and a router advertisement from the
#    router with every common option (crafted by a script, sent on the real link), then what the
#    client does about it (address autoconfiguration: DAD probes, MLD reports).
start_capture ra $C v6c
ip netns exec $C python3 "$here/send-nd-ipv6.py" rs v6c
ip netns exec $R python3 "$here/send-nd-ipv6.py" ra v6rc
sleep 1.5
stop_capture

# 3. MLD: a listener joins and leaves a group, with MLDv2 (the default) and then MLDv1.
start_capture mld $C v6c
timeout 1 ip netns exec $C socat -u UDP6-RECV:5000,ipv6-join-group=[ff05::1:3]:v6c - >/dev/null 2>&1 || true
ip netns exec $C sysctl -qw net.ipv6.conf.v6c.force_mld_version=1
timeout 1 ip netns exec $C socat -u UDP6-RECV:5001,ipv6-join-group=[ff05::1:4]:v6c - >/dev/null 2>&1 || true
ip netns exec $C sysctl -qw net.ipv6.conf.v6c.force_mld_version=0
stop_capture

# 4. Extension headers from the sockets API: hop-by-hop and destination options on UDP, and a
#    segment routing header (seg6 encapsulation and inline insertion) on the router's way out.
ip -n $R -6 route add fd00:63::/64 encap seg6 mode encap segs fd00:62::1 dev v6rs
ip -n $R -6 route add fd00:64::/64 encap seg6 mode inline segs fd00:62::1 dev v6rs
start_capture exthdr $S v6s
ip netns exec $C python3 "$here/send-nd-ipv6.py" exthdr $SA
ip netns exec $C ping -6 -c 1 -W 1 fd00:63::9 >/dev/null || true
ip netns exec $C ping -6 -c 1 -W 1 fd00:64::9 >/dev/null || true
stop_capture

# 5. A small snapshot length: the printers stop at the captured end.
start_capture snap $C v6c 96
ip netns exec $C ping -6 -c 1 -s 200 $SA >/dev/null
echo hi | ip netns exec $C socat -t 1 - TCP6:[$SA]:8080 >/dev/null
ip netns exec $C python3 "$here/send-nd-ipv6.py" rs v6c
ip netns exec $R python3 "$here/send-nd-ipv6.py" ra v6rc
sleep 0.5
stop_capture

# 6. A multicast ping answered by the router, a traceroute (UDP with hop limits 1 and 2: time
#    exceeded, then port unreachable) and TCP to a closed port (RST).
start_capture misc $C v6c
ip netns exec $C ping -6 -c 1 -W 1 -I v6c ff02::1 >/dev/null || true
ip netns exec $C python3 "$here/send-nd-ipv6.py" trace $SA
ip netns exec $C socat -T 1 /dev/null TCP6:[$SA]:8081 2>/dev/null || true
stop_capture

# 7. The router's view on all its interfaces (Linux cooked v1 headers; v2 would name interfaces by
#    the index of the machine that reads the file): a ping crossing it and a packet too big.
start_capture any-sll $R any 0 ip6 LINUX_SLL
ip netns exec $C ping -6 -c 1 $SA >/dev/null
ip netns exec $C ping -6 -c 1 -W 1 -s 1300 $SA >/dev/null || true
stop_capture

ls -l "$out"
