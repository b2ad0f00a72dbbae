#!/usr/bin/env bash
# Makes the real captures behind the filter goldens (test/golden/filter/*.pcap) with tcpdump:
# loopback traffic (TCP/HTTP, UDP, ICMP, IPv6) and a veth pair into a private network namespace
# (ARP, Ethernet broadcast/multicast, 802.1Q VLAN). Needs root; cleans up even on failure.
set -euo pipefail
out=$(cd "$(dirname "$0")/../golden/filter" && pwd)
ns=tsvsfilt$$
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  ip link del tsfa$$ 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
}
trap cleanup EXIT

# 1. loopback
timeout 30 tcpdump -q -i lo -U -w "$out/lo.pcap" 'not port 22' 2>/dev/null & pids+=($!)
# The "any" device: cooked headers, LINUX_SLL2 by default and LINUX_SLL with -y (same traffic).
timeout 30 tcpdump -q -i any -U -w "$out/any-sll2.pcap" 'host 127.0.0.1 or host ::1' 2>/dev/null & pids+=($!)
timeout 30 tcpdump -q -i any -y LINUX_SLL -U -w "$out/any-sll.pcap" 'host 127.0.0.1 or host ::1' 2>/dev/null & pids+=($!)
sleep 1
timeout 10 python3 -m http.server 18080 --bind 127.0.0.1 >/dev/null 2>&1 & pids+=($!)
timeout 10 python3 -m http.server 18081 --bind ::1 >/dev/null 2>&1 & pids+=($!)
timeout 10 socat -T1 UDP4-RECVFROM:15353,fork EXEC:cat >/dev/null 2>&1 & pids+=($!)
sleep 1
curl -s -o /dev/null http://127.0.0.1:18080/ || true
curl -s -o /dev/null 'http://[::1]:18081/' || true
curl -s -o /dev/null http://127.0.0.1:18082/ || true   # closed port: SYN, RST
ping -c 2 -i 0.2 127.0.0.1 >/dev/null || true
ping -6 -c 2 -i 0.2 ::1 >/dev/null || true
echo hello | timeout 2 socat - UDP4:127.0.0.1:15353 >/dev/null 2>&1 || true
echo big | timeout 2 socat - UDP4:127.0.0.1:53 >/dev/null 2>&1 || true
ping -c 1 -s 3000 127.0.0.1 >/dev/null || true          # IPv4 fragments? (lo MTU is large: no)
sleep 1
kill "${pids[0]}" "${pids[1]}" "${pids[2]}" 2>/dev/null || true

# 2. veth into a namespace, with a VLAN on top
ip netns add "$ns"
ip link add tsfa$$ type veth peer name tsfb netns "$ns"
ip addr add 10.77.0.1/24 dev tsfa$$
ip link set tsfa$$ up mtu 1400
ip -n "$ns" addr add 10.77.0.2/24 dev tsfb
ip -n "$ns" link set tsfb up mtu 1400
ip -n "$ns" link set lo up
# 802.1Q when the kernel has it (no 8021q module: the capture simply has no tagged frames).
if ip link add link tsfa$$ name tsfa$$.100 type vlan id 100 2>/dev/null; then
  ip addr add 10.78.0.1/24 dev tsfa$$.100
  ip link set tsfa$$.100 up
  ip -n "$ns" link add link tsfb name tsfb.100 type vlan id 100
  ip -n "$ns" addr add 10.78.0.2/24 dev tsfb.100
  ip -n "$ns" link set tsfb.100 up
fi
timeout 30 tcpdump -q -i tsfa$$ -U -w "$out/veth.pcap" 2>/dev/null & pids+=($!)
sleep 1
ip netns exec "$ns" timeout 10 python3 -m http.server 8080 --bind 10.77.0.2 >/dev/null 2>&1 & pids+=($!)
sleep 1
ping -c 2 -i 0.2 10.77.0.2 >/dev/null || true
ping -c 2 -i 0.2 10.78.0.2 >/dev/null || true
ping -c 1 -s 3000 10.77.0.2 >/dev/null || true           # fragmented (MTU 1400)
ping -c 1 -b 10.77.0.255 >/dev/null 2>&1 || true
curl -s -o /dev/null http://10.77.0.2:8080/ || true
curl -s -o /dev/null http://10.78.0.2:8081/ --max-time 1 || true
ping -6 -c 2 -i 0.2 -I tsfa$$ ff02::1 >/dev/null 2>&1 || true
sleep 1
kill "${pids[-2]}" 2>/dev/null || true
sleep 0.5
ls -l "$out"/*.pcap
