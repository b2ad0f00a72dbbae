#!/usr/bin/env bash
# Makes the TCP analysis corpus: real captures of the seeds' scenarios between two network
# namespaces of this script's own (tsacli, tsasrv), written by tcpdump on the client's veth.
# Loss is made with iptables in the server namespace (netem is not available everywhere).
# usage: test/tools/analysis-captures.sh [OUTDIR]   (root; removes everything it made, even on failure)
set -euo pipefail
out=${1:-$(dirname "$0")/../golden/analysis/pcap}
mkdir -p "$out"
out=$(cd "$out" && pwd)
peer="python3 $(cd "$(dirname "$0")" && pwd)/analysis-peer.py"
C=tsacli S=tsasrv
CA=198.19.77.1 SA=198.19.77.2
C6=fd00:77::1 S6=fd00:77::2
pids=()

cleanup() {
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  ip netns del $C 2>/dev/null || true
  ip netns del $S 2>/dev/null || true
  ip netns del tsarou 2>/dev/null || true
}
trap cleanup EXIT INT TERM

setup() {
  cleanup
  pids=()
  ip netns add $C
  ip netns add $S
  ip link add tsa-c type veth peer name tsa-s
  ip link set tsa-c netns $C
  ip link set tsa-s netns $S
  for n in $C $S; do ip -n $n link set lo up; done
  ip -n $C addr add $CA/24 dev tsa-c
  ip -n $S addr add $SA/24 dev tsa-s
  ip -n $C addr add $C6/64 dev tsa-c nodad
  ip -n $S addr add $S6/64 dev tsa-s nodad
  # Plain 1500-byte segments, so captures look like a wire's, not like GSO super-packets.
  for n in $C $S; do
    dev=tsa-${n:3:1}; [ $n = $C ] && dev=tsa-c || dev=tsa-s
    ip -n $n link set $dev up
    ip netns exec $n ethtool -K $dev tso off gso off gro off >/dev/null 2>&1 || true
  done
  sleep 0.3
}

capture() { # name: start tcpdump on the client's veth, wait until it listens
  local log=/tmp/tsa-tcpdump.$$.log
  : >"$log"
  ip netns exec $C tcpdump -i tsa-c -U -s 0 -w "$out/$1.pcap" 'tcp or icmp' 2>"$log" &
  pids+=($!)
  for _ in $(seq 50); do grep -q listening "$log" && break; sleep 0.1; done
  # A freshly created veth takes a moment before tcpdump sees its traffic.
  sleep 1
}

finish() { # stop tcpdump and the peers
  sleep 0.5
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  pids=()
}

# ONLY="name ..." limits the run to some scenarios.
want() { [ -z "${ONLY:-}" ] || [[ " $ONLY " == *" $1 "* ]]; }
scenario() { echo "capture: $1" >&2; }

# 1. A keep-alive HTTP-like exchange with a normal 4-way close, over IPv4.
if want http; then
scenario http; setup; capture http
ip netns exec $S $peer echo-server $SA 80 1 & pids+=($!); sleep 0.3
ip netns exec $C $peer client $SA 80 3; finish
fi

# 2. The same over IPv6.
if want http6; then
scenario http6; setup; capture http6
ip netns exec $S $peer echo-server $S6 80 1 & pids+=($!); sleep 0.3
ip netns exec $C $peer client $S6 80 2; finish
fi

# 3. Blackholed SYNs: the client retries with RTO doubling (tcp_syn_retries=3: 1, 2, 4 s apart).
if want syn-blackhole; then
scenario syn-blackhole; setup
ip netns exec $S iptables -A INPUT -p tcp --dport 81 --syn -j DROP
ip netns exec $C sysctl -qw net.ipv4.tcp_syn_retries=3
capture syn-blackhole
ip netns exec $C $peer connect $SA 81; finish
fi

# 4. Refused: a SYN to a closed port gets RST/ACK.
if want refused; then
scenario refused; setup; capture refused
ip netns exec $C $peer connect $SA 82; finish
fi

# 5. The first SYN-ACK is lost: both ends retransmit.
if want lost-synack; then
scenario lost-synack; setup
ip netns exec $S iptables -A OUTPUT -p tcp --tcp-flags SYN,ACK SYN,ACK -m statistic --mode nth --every 100 --packet 0 -j DROP
capture lost-synack
ip netns exec $S $peer echo-server $SA 80 1 & pids+=($!); sleep 0.3
ip netns exec $C $peer client $SA 80 1; finish
fi

# 6. The handshake's final ACK is lost on the way (dropped as it enters the server): the server
#    retransmits its SYN-ACK and the client answers it again.
if want lost-ack; then
scenario lost-ack; setup
ip netns exec $S iptables -A INPUT -p tcp --dport 25 --tcp-flags SYN,ACK,FIN,RST,PSH ACK -m statistic --mode nth --every 100 --packet 0 -j DROP
capture lost-ack
ip netns exec $S $peer banner-server $SA 25 & pids+=($!); sleep 0.3
ip netns exec $C $peer quiet-client $SA 25; finish
fi

# 7. Keep-alive probes and their ACKs.
if want keepalive; then
scenario keepalive; setup; capture keepalive
ip netns exec $S $peer echo-server $SA 80 1 & pids+=($!); sleep 0.3
ip netns exec $C $peer keepalive-client $SA 80 3.5; finish
fi

# 8. A slow reader with a tiny buffer: zero window, zero window probes, window updates, window full.
if want zero-window; then
scenario zero-window; setup; capture zero-window
ip netns exec $S $peer slow-reader $SA 80 2.5 & pids+=($!); sleep 0.3
ip netns exec $C $peer bulk-sender $SA 80 300000; finish
fi

# 9. Loss of the server's data on a router between the two (every 40th full-sized segment is
#    dropped in the router's FORWARD chain, where segments are wire-sized): dup ACKs, SACK, fast
#    retransmissions, holes not captured.
if want loss; then
scenario loss; setup
R=tsarou RA=198.19.78.254 SB=198.19.78.2
ip netns add $R
ip -n $S addr del $SA/24 dev tsa-s
ip -n $S link set tsa-s netns $R 2>/dev/null || true
ip -n $R link set tsa-s name tsa-rc
ip -n $R addr add 198.19.77.254/24 dev tsa-rc
ip link add tsa-rs type veth peer name tsa-s
ip link set tsa-rs netns $R
ip link set tsa-s netns $S
ip -n $R addr add $RA/24 dev tsa-rs
ip -n $S addr add $SB/24 dev tsa-s
for d in tsa-rc tsa-rs lo; do ip -n $R link set $d up; ip netns exec $R ethtool -K $d tso off gso off gro off >/dev/null 2>&1 || true; done
ip -n $S link set tsa-s up
ip netns exec $S ethtool -K tsa-s tso off gso off gro off >/dev/null 2>&1 || true
ip netns exec $R sysctl -qw net.ipv4.ip_forward=1
ip -n $C route add 198.19.78.0/24 via 198.19.77.254
ip -n $S route add default via $RA
ip netns exec $R iptables -A FORWARD -p tcp --sport 80 -m length --length 1000:1600 -m statistic --mode nth --every 40 --packet 7 -j DROP
sleep 0.5
capture loss
ip netns exec $S $peer bulk-server $SB 80 600000 2 & pids+=($!); sleep 0.3
ip netns exec $C $peer bulk-client $SB 80
ip netns exec $C $peer bulk-client $SB 80; finish
ip netns del $R
fi

# 10. TCP Fast Open: the first connection gets a cookie, the next ones carry data in the SYN.
if want tfo; then
scenario tfo; setup
for n in $C $S; do ip netns exec $n sysctl -qw net.ipv4.tcp_fastopen=3; done
capture tfo
ip netns exec $S $peer tfo-server $SA 80 3 & pids+=($!); sleep 0.3
ip netns exec $C $peer tfo-client $SA 80 3; finish
fi

# 11. An abortive close (RST after data).
if want reset; then
scenario reset; setup; capture reset
ip netns exec $S $peer echo-server $SA 80 1 & pids+=($!); sleep 0.3
ip netns exec $C $peer reset-client $SA 80; finish
fi

# 12. The same client port reused for a second connection (reused ports).
if want reuse; then
scenario reuse; setup; capture reuse
ip netns exec $S $peer echo-server $SA 80 2 & pids+=($!); sleep 0.3
ip netns exec $C python3 -c "
import socket, time
for i in range(2):
    c = socket.socket(); c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); c.settimeout(5)
    c.bind(('$CA', 40404)); c.connect(('$SA', 80)); c.sendall(b'GET / HTTP/1.1\r\n\r\n'); c.recv(100)
    import struct; c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0)); c.close(); time.sleep(0.3)
"; finish

echo "captures in $out" >&2
ls -la "$out" >&2
fi
