#!/usr/bin/env python3
"""Sends the IPv6 packets the golden captures need and the kernel does not send by itself.

Run inside a network namespace made by capture-tcpdump-ipv6.sh (root):
  send-nd-ipv6.py rs IFACE       a router solicitation with a source link-address option
  send-nd-ipv6.py ra IFACE       a router advertisement with prefix, MTU, route info, RDNSS, DNSSL,
                                 advertisement interval and source link-address options
  send-nd-ipv6.py exthdr ADDR    UDP datagrams to a closed port of ADDR carrying hop-by-hop and
                                 destination options headers (the answer is a port unreachable)
  send-nd-ipv6.py trace ADDR     UDP datagrams to port 33434.. of ADDR with hop limits 1 and 2
Only link-local/multicast destinations on IFACE or the given namespace address are used.
"""
import socket
import struct
import sys
import time

IPV6_HOPOPTS = getattr(socket, "IPV6_HOPOPTS", 54)
IPV6_DSTOPTS = getattr(socket, "IPV6_DSTOPTS", 59)


def mac_of(iface: str) -> bytes:
    with open(f"/sys/class/net/{iface}/address") as f:
        return bytes.fromhex(f.read().strip().replace(":", ""))


def icmp6_socket(iface: str) -> socket.socket:
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    # ND messages must arrive with hop limit 255 (RFC 4861 section 6.1).
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, 255)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, socket.if_nametoindex(iface))
    return s


def opt_lladdr(kind: int, mac: bytes) -> bytes:
    return struct.pack("!BB", kind, 1) + mac


def dns_name(name: str) -> bytes:
    out = b""
    for label in name.strip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def send_rs(iface: str) -> None:
    s = icmp6_socket(iface)
    msg = struct.pack("!BBHI", 133, 0, 0, 0) + opt_lladdr(1, mac_of(iface))
    s.sendto(msg, ("ff02::2", 0, 0, socket.if_nametoindex(iface)))


def send_ra(iface: str) -> None:
    s = icmp6_socket(iface)
    # hop limit 64, flags: other config + preference high, lifetime 1800 s, reachable 30000 ms,
    # retrans 1000 ms.
    msg = struct.pack("!BBHBBHII", 134, 0, 0, 64, 0x48, 1800, 30000, 1000)
    msg += opt_lladdr(1, mac_of(iface))
    msg += struct.pack("!BBHI", 5, 1, 0, 1500)
    prefix = socket.inet_pton(socket.AF_INET6, "fd00:61::")
    msg += struct.pack("!BBBBIII", 3, 4, 64, 0xC0, 86400, 14400, 0) + prefix
    route = socket.inet_pton(socket.AF_INET6, "fd00:70::")[:8]
    msg += struct.pack("!BBBBI", 24, 2, 48, 0x08, 600) + route
    dns = socket.inet_pton(socket.AF_INET6, "fd00:61::53")
    msg += struct.pack("!BBHI", 25, 3, 0, 600) + dns
    names = dns_name("lab.example") + dns_name("tsvs.test")
    names += b"\0" * (-(8 + len(names)) % 8)
    msg += struct.pack("!BBHI", 31, (8 + len(names)) // 8, 0, 600) + names
    msg += struct.pack("!BBHI", 7, 1, 0, 5000)
    s.sendto(msg, ("ff02::1", 0, 0, socket.if_nametoindex(iface)))


def send_exthdr(addr: str) -> None:
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    # Hop-by-hop: an unknown skippable option (type 0x1e) and PadN; destination options: an
    # unknown option 0x1f with 4 bytes of data. The kernel fills in next header and length.
    hbh = bytes([0, 0, 0x1E, 0x02, 0xAB, 0xCD, 0x01, 0x00])
    dst = bytes([0, 0, 0x1F, 0x04, 1, 2, 3, 4])
    s.sendmsg([b"hop-by-hop"], [(socket.IPPROTO_IPV6, IPV6_HOPOPTS, hbh)], 0, (addr, 9998))
    s.sendmsg([b"destination options"], [(socket.IPPROTO_IPV6, IPV6_DSTOPTS, dst)], 0, (addr, 9998))
    s.sendmsg(
        [b"both"],
        [(socket.IPPROTO_IPV6, IPV6_HOPOPTS, hbh), (socket.IPPROTO_IPV6, IPV6_DSTOPTS, dst)],
        0,
        (addr, 9998),
    )


def send_trace(addr: str) -> None:
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    for hops in (1, 2):
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, hops)
        s.sendto(b"traceroute probe", (addr, 33433 + hops))
        time.sleep(0.2)


def main() -> int:
    if len(sys.argv) != 3 or sys.argv[1] not in ("rs", "ra", "exthdr", "trace"):
        print(__doc__, file=sys.stderr)
        return 2
    what, arg = sys.argv[1], sys.argv[2]
    if what == "rs":
        send_rs(arg)
    elif what == "ra":
        send_ra(arg)
    elif what == "trace":
        send_trace(arg)
    else:
        send_exthdr(arg)
    return 0


if __name__ == "__main__":
    sys.exit(main())
