#!/usr/bin/env python3
"""Small TCP peers for the analysis captures (run inside the capture namespaces).

usage: analysis-peer.py ROLE [args]   (every loop is bounded; every socket has a timeout)
"""
import socket
import sys
import time

role = sys.argv[1]
args = sys.argv[2:]


def listener(host, port, family=socket.AF_INET, rcvbuf=None, fastopen=False):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    if fastopen:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_FASTOPEN, 16)
    s.bind((host, port))
    s.listen(16)
    s.settimeout(30)
    return s


if role == 'echo-server':
    # Answers each request with a fixed reply, then closes when the client does.
    host, port, count = args[0], int(args[1]), int(args[2])
    fam = socket.AF_INET6 if ':' in host else socket.AF_INET
    s = listener(host, port, fam)
    for _ in range(count):
        c, _a = s.accept()
        c.settimeout(10)
        try:
            while True:
                data = c.recv(65536)
                if not data:
                    break
                c.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\nhello world\n')
        except ConnectionResetError:
            pass
        c.close()
elif role == 'client':
    host, port, requests = args[0], int(args[1]), int(args[2])
    fam = socket.AF_INET6 if ':' in host else socket.AF_INET
    c = socket.socket(fam, socket.SOCK_STREAM)
    c.settimeout(10)
    c.connect((host, port))
    for i in range(requests):
        c.sendall(b'GET /%d HTTP/1.1\r\nHost: x\r\n\r\n' % i)
        c.recv(65536)
        time.sleep(0.05)
    c.close()
elif role == 'connect':
    # A connect that may fail (blackholed SYNs, refused port).
    host, port = args[0], int(args[1])
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    c.settimeout(20)
    try:
        c.connect((host, port))
        c.close()
    except OSError as e:
        print('connect:', e, file=sys.stderr)
elif role == 'banner-server':
    # Speaks first after the handshake (so a lost final ACK shows as a SYN-ACK retransmission).
    host, port = args[0], int(args[1])
    s = listener(host, port)
    c, _a = s.accept()
    c.sendall(b'220 ready\r\n')
    time.sleep(0.5)
    c.close()
elif role == 'quiet-client':
    host, port = args[0], int(args[1])
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    c.settimeout(10)
    c.connect((host, port))
    while c.recv(4096):
        pass
    c.close()
elif role == 'keepalive-client':
    host, port, idle = args[0], int(args[1]), float(args[2])
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
    c.settimeout(10)
    c.connect((host, port))
    c.sendall(b'hello\n')
    c.recv(4096)
    time.sleep(idle)
    c.close()
elif role == 'slow-reader':
    # A receiver with a tiny buffer that stops reading for a while: zero windows and probes.
    host, port, pause = args[0], int(args[1]), float(args[2])
    s = listener(host, port, rcvbuf=4096)
    c, _a = s.accept()
    c.settimeout(10)
    time.sleep(pause)
    total = 0
    while True:
        data = c.recv(1024)
        if not data:
            break
        total += len(data)
        time.sleep(0.001)
    c.close()
elif role == 'bulk-sender':
    host, port, size = args[0], int(args[1]), int(args[2])
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    c.settimeout(20)
    c.connect((host, port))
    c.sendall(b'x' * size)
    c.shutdown(socket.SHUT_WR)
    c.recv(10)
    c.close()
elif role == 'sink-server':
    host, port, count = args[0], int(args[1]), int(args[2])
    s = listener(host, port)
    for _ in range(count):
        c, _a = s.accept()
        c.settimeout(20)
        while c.recv(65536):
            pass
        c.close()
elif role == 'bulk-server':
    # Sends SIZE bytes to each client, then closes.
    host, port, size, count = args[0], int(args[1]), int(args[2]), int(args[3])
    s = listener(host, port)
    for _ in range(count):
        c, _a = s.accept()
        c.settimeout(20)
        # Paced to ~20 MB/s so that each skb carries one segment (netfilter sees wire-sized packets).
        c.setsockopt(socket.SOL_SOCKET, 47, 20000000)  # SO_MAX_PACING_RATE
        c.recv(100)
        c.sendall(b'y' * size)
        c.close()
elif role == 'bulk-client':
    host, port = args[0], int(args[1])
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    c.settimeout(20)
    c.connect((host, port))
    c.sendall(b'GET\n')
    while c.recv(65536):
        pass
    c.close()
elif role == 'tfo-server':
    host, port, count = args[0], int(args[1]), int(args[2])
    s = listener(host, port, fastopen=True)
    for _ in range(count):
        c, _a = s.accept()
        c.settimeout(10)
        data = c.recv(4096)
        c.sendall(b'got ' + data)
        c.close()
elif role == 'tfo-client':
    host, port, count = args[0], int(args[1]), int(args[2])
    for i in range(count):
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        # Blocking while connecting: with a timeout set, sendto(MSG_FASTOPEN) returns EINPROGRESS.
        c.sendto(b'fast open %d' % i, socket.MSG_FASTOPEN, (host, port))
        c.settimeout(10)
        c.recv(4096)
        c.close()
        time.sleep(0.2)
elif role == 'reset-client':
    # Aborts with a RST (SO_LINGER 0) after one exchange.
    import struct
    host, port = args[0], int(args[1])
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    c.settimeout(10)
    c.connect((host, port))
    c.sendall(b'GET / HTTP/1.1\r\n\r\n')
    c.recv(4096)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
    c.close()
else:
    sys.exit('unknown role ' + role)
