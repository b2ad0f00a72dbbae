// UDP side of the proxy plane: one socket per UDP virtual service (or fwmark UDP listener), one
// session per client address:port holding a socket towards the chosen real server. Replies go back
// to the client from the service socket, so the client sees the virtual address answer. A session
// lives as long as datagrams flow and ends after the director's UDP timeout of silence.
// One-packet scheduling (-o) schedules every datagram afresh and keeps no connection entry.

import dgram from 'node:dgram';
import { CONN_ONE_PACKET, DIR_INPUT, DIR_OUTPUT } from '../../director/index.js';
import type { ConnOwner, PlaneCore } from './core.js';

const kSession = Symbol('tsvs.udp-session');
type SessionSocket = dgram.Socket & { [kSession]: UdpSession };

/** The service side: what a UDP listener knows. */
export interface UdpEntry {
  lookup(): number;
  vaddr: string;
  vport: number;
}

export class UdpSession implements ConnOwner {
  cid = -1;
  rid: number;
  /** Real server address/port that replies must come from (ops: the last one scheduled). */
  raddr: string;
  rport: number;
  last: number;
  closed = false;
  readonly ops: boolean;
  readonly key: string;
  readonly caddr: string;
  readonly cport: number;
  readonly sock: SessionSocket;
  readonly listener: UdpListener;

  constructor(
    listener: UdpListener,
    key: string,
    caddr: string,
    cport: number,
    rid: number,
    raddr: string,
    rport: number,
    family: 4 | 6,
    ops: boolean,
    now: number,
  ) {
    this.listener = listener;
    this.key = key;
    this.caddr = caddr;
    this.cport = cport;
    this.rid = rid;
    this.raddr = raddr;
    this.rport = rport;
    this.ops = ops;
    this.last = now;
    this.sock = dgram.createSocket(family === 6 ? 'udp6' : 'udp4') as SessionSocket;
    this.sock[kSession] = this;
    this.sock.on('message', onReply);
    this.sock.on('error', onSessionError);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.listener.core.release(this);
    this.listener.sessions.delete(this.key);
    this.sock.close();
  }
}

function onReply(this: SessionSocket, msg: Buffer, rinfo: dgram.RemoteInfo): void {
  const s = this[kSession];
  if (s.closed) return;
  if (!s.ops && (rinfo.port !== s.rport || rinfo.address !== s.raddr)) return; // not our real
  const l = s.listener;
  const core = l.core;
  const now = core.now();
  s.last = now;
  if (s.cid >= 0) core.d.traffic(s.cid, DIR_OUTPUT, 1, msg.length, now);
  else if (s.ops) core.d.countPackets(s.rid, DIR_OUTPUT, 1, msg.length);
  if (!l.closed) l.socket.send(msg, s.cport, s.caddr);
}

function onSessionError(this: SessionSocket, _err: Error): void {
  // ICMP port unreachable from a connected peer and the like: the datagram is lost, as in the kernel.
}

/** One UDP service socket and its sessions. */
export class UdpListener {
  readonly core: PlaneCore;
  readonly entry: UdpEntry;
  readonly socket: dgram.Socket;
  readonly sessions = new Map<string, UdpSession>();
  closed = false;

  constructor(core: PlaneCore, entry: UdpEntry, family: 4 | 6) {
    this.core = core;
    this.entry = entry;
    this.socket = dgram.createSocket({ type: family === 6 ? 'udp6' : 'udp4', ipv6Only: family === 6 });
    this.socket.on('message', (msg, rinfo) => this.onMessage(msg, rinfo));
  }

  private onMessage(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    if (this.closed) return;
    const core = this.core;
    const d = core.d;
    const now = core.now();
    const key = `${rinfo.address}|${rinfo.port}`;
    let s = this.sessions.get(key);
    if (s?.ops) {
      // -o: every datagram is scheduled on its own.
      const svc = this.entry.lookup();
      const rid =
        svc < 0 ? -1 : d.schedule(svc, rinfo.address, rinfo.port, now, this.entry.vaddr, this.entry.vport);
      const info = rid < 0 ? null : d.realInfo(rid);
      if (info === null) return;
      d.connect(svc, rid, rinfo.address, rinfo.port, this.entry.vaddr, this.entry.vport, now, {
        protocol: 'UDP',
      });
      s.rid = rid;
      s.raddr = info.address;
      s.rport = info.port === 0 ? this.entry.vport : info.port;
      s.last = now;
      d.countPackets(rid, DIR_INPUT, 1, msg.length);
      s.sock.send(msg, s.rport, s.raddr);
      return;
    }
    if (s === undefined) {
      const svc = this.entry.lookup();
      if (svc < 0) return;
      const rid = d.schedule(svc, rinfo.address, rinfo.port, now, this.entry.vaddr, this.entry.vport);
      if (rid < 0) return; // no destination: dropped
      const info = d.realInfo(rid);
      if (info === null) return;
      const cid = d.connect(svc, rid, rinfo.address, rinfo.port, this.entry.vaddr, this.entry.vport, now, {
        protocol: 'UDP',
        seesReplies: true,
      });
      const ops = cid === CONN_ONE_PACKET;
      if (cid < 0 && !ops) return; // table full or service gone
      const rport = info.port === 0 ? this.entry.vport : info.port;
      s = new UdpSession(
        this,
        key,
        rinfo.address,
        rinfo.port,
        rid,
        info.address,
        rport,
        info.family,
        ops,
        now,
      );
      if (cid >= 0) core.claim(s, cid);
      this.sessions.set(key, s);
    }
    s.last = now;
    if (s.cid >= 0) d.traffic(s.cid, DIR_INPUT, 1, msg.length, now);
    else if (s.ops) d.countPackets(s.rid, DIR_INPUT, 1, msg.length);
    s.sock.send(msg, s.rport, s.raddr);
  }

  /** End sessions idle for the UDP timeout. */
  sweep(now: number, udpMs: number): void {
    for (const s of this.sessions.values()) if (now - s.last >= udpMs) s.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of [...this.sessions.values()]) s.close();
    this.socket.close();
  }
}
