// tsdump's live capture engine (-i, -D): libpcap's Linux behaviour over the tsvs native addon.
//
// runLive() in live-session.ts drives it for tsdump's CLI, doing what tcpdump 4.99 does around pcap_loop:
//   -D                 write listInterfaces() to stdout, exit 0.
//   -i IFACE           cap = openLive({...}); for -i any, or with -y, tcpdump first prints
//                      "tcpdump: data link type LINUX_SLL2" (the link type's name) on stderr.
//   filter             cap.setFilter(compileFilter(expr, { linktype: cap.linktype, snaplen: cap.snaplen, ... }));
//                      then print each of cap.warnings on stderr.
//   banner             "<prog>: verbose output suppressed, use -v[v]... for full protocol decode" (unless -v
//                      or -w), then listeningBanner(cap) on stderr.
//   packets            cap.start(rec => write or print rec; after -c N packets: finish(), err => report, finish())
//   Ctrl-C / SIGTERM   finish(): cap.stop(); close the -w writer; s = cap.stats(); on stderr:
//                      "<s.captured> packet(s) captured", "<s.received> packet(s) received by filter",
//                      "<s.dropped> packet(s) dropped by kernel", and "<s.ifDropped> packet(s) dropped by
//                      interface" only if it is not 0 (tcpdump's PLURAL_SUFFIX: "packet" for 1).
// Errors are TsvsError('TSVS_ERR_CAPTURE') whose message is tcpdump's text without the "tcpdump: "
// prefix (the CLI adds its own), exit status 1.
import { readFileSync } from 'node:fs';
import { TsvsError } from '../../errors.js';
import { type BpfInsn, type CompiledFilter, compileToFunction } from '../../filter/index.js';
import { isNativeSysError, loadNative } from '../../io/native.js';
import {
  PACKET_OUTGOING,
  PacketSocket,
  REC_ADDR_BYTE,
  REC_DATA_BYTE,
  REC_FLAG_VLAN_PENDING,
  REC_W_CAPLEN,
  REC_W_HATYPE,
  REC_W_IFINDEX,
  REC_W_NSEC,
  REC_W_PROTO,
  REC_W_RECLEN,
  REC_W_SEC,
  REC_W_VLAN,
  REC_W_WIRELEN,
} from '../../io/packet-socket.js';
import type { PacketRecord } from '../../pcap/record.js';
import {
  ARPHRD_ETHER,
  ARPHRD_LOOPBACK,
  ARPHRD_NONE,
  ARPHRD_PPP,
  ARPHRD_SIT,
  ARPHRD_TUNNEL,
  arpTypeOf,
  captureDevices,
  formatDevice,
  IFF_UP,
  ifFlagsOf,
  ifIndexOf,
} from './live-interfaces.js';

/** LINKTYPE_* values live capture produces. */
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_LINUX_SLL2 = 276;
/** libpcap also offers DOCSIS on Ethernet devices (the same bytes, dissected as DOCSIS). */
export const LINKTYPE_DOCSIS = 143;

/** tcpdump's snapshot length for -s 0 and its maximum. */
export const MAXIMUM_SNAPLEN = 262144;
/** libpcap's default kernel buffer (tcpdump without -B): 2 MiB. */
export const DEFAULT_BUFFER_KIB = 2048;

const SLL_HDR_LEN = 16;
const SLL2_HDR_LEN = 20;
const VLAN_TAG_LEN = 4;

/** tcpdump -D output: one line per device, each ending in '\n'. */
export function listInterfaces(): string {
  const devs = captureDevices();
  let out = '';
  for (let i = 0; i < devs.length; i++) out += `${formatDevice(i + 1, devs[i])}\n`;
  return out;
}

export interface LiveOptions {
  /** -i: an interface name or "any". */
  iface: string;
  /** -s: 0 or anything above 262144 means 262144, as tcpdump does. */
  snaplen: number;
  /** true unless -p. Ignored on "any" (libpcap cannot make every device promiscuous). */
  promisc: boolean;
  /** -Q. */
  direction: 'in' | 'out' | 'inout';
  /** --immediate-mode: each packet is handed over at once (recvmmsg) instead of in ring blocks. */
  immediate: boolean;
  /** -B in KiB (default 2048, libpcap's). */
  bufferKiB?: number;
  /** -y as a LINKTYPE_* number: LINKTYPE_LINUX_SLL or LINKTYPE_LINUX_SLL2 (default) for "any". */
  linktype?: number;
  /** The -y name as typed, for the error message when the device cannot do that link type. */
  linktypeName?: string;
  /** Ring block timeout in ms when not immediate (how long a packet may wait; libpcap: -timeout). */
  timeoutMs?: number;
}

export interface LiveStats {
  /** Packets handed to start()'s callback (tcpdump's "packets captured" when it counts itself). */
  captured?: number;
  /** "packets received by filter": passed the kernel filter, drops included. */
  received: number;
  /** "packets dropped by kernel": no room in the ring or socket buffer. */
  dropped: number;
  /**
   * "packets dropped by interface" (tcpdump prints that line only when it is not 0): in promiscuous
   * mode on one device, the growth of its rx_missed_errors + rx_fifo_errors since the capture
   * started, as libpcap counts it; 0 otherwise.
   */
  ifDropped: number;
}

export interface LiveCapture {
  /** The interface name as given. */
  readonly iface: string;
  /** LINKTYPE_* of every record. */
  readonly linktype: number;
  /** The snapshot length in effect (after -s 0 -> 262144). */
  readonly snaplen: number;
  /**
   * Where the last filter runs: 'kernel' (SO_ATTACH_FILTER), 'userland' (the program could not be
   * made to work in the kernel, e.g. it reads cooked-header fields the kernel cannot supply), or
   * 'none'.
   */
  readonly filterIn: 'kernel' | 'userland' | 'none';
  /** Warnings tcpdump would print to stderr (e.g. "Warning: Kernel filter failed: ..."); the CLI prints them. */
  readonly warnings: string[];
  /** Attaches a compiled filter (BPF for this.linktype). Call before start(); may be called again. */
  setFilter(prog: BpfInsn[]): void;
  /**
   * Starts delivering packets from the event loop. The record is borrowed: valid only during the
   * call. Errors while capturing (interface gone) go to onError, then the capture stops.
   */
  start(onPacket: (rec: PacketRecord) => void, onError?: (err: TsvsError) => void): void;
  /** Stops delivery and closes the socket (idempotent). stats() still works afterwards. */
  stop(): void;
  stats(): LiveStats;
}

/** tcpdump's messages for a device that cannot be opened (the CLI adds the "tsdump: " prefix). */
function noSuchDevice(iface: string): TsvsError {
  return new TsvsError('TSVS_ERR_CAPTURE', `${iface}: No such device exists\n(No such device exists)`);
}

function captureFailure(iface: string, e: unknown): TsvsError {
  if (e instanceof TsvsError) return e;
  if (isNativeSysError(e)) {
    if (e.code === 'EPERM' || e.code === 'EACCES') {
      return new TsvsError(
        'TSVS_ERR_CAPTURE',
        `${iface}: You don't have permission to perform this capture on that device\n(${e.message})`,
      );
    }
    if (e.code === 'ENODEV' || e.code === 'ENXIO') return noSuchDevice(iface);
    if (e.code === 'ENETDOWN') return new TsvsError('TSVS_ERR_CAPTURE', `${iface}: That device is not up`);
    return new TsvsError('TSVS_ERR_CAPTURE', e.message);
  }
  return new TsvsError('TSVS_ERR_CAPTURE', `${iface}: ${e instanceof Error ? e.message : String(e)}`);
}

/** pcap_datalink_val_to_name / _description for the link types live capture produces. */
export const LIVE_LINKTYPE_NAMES: Record<number, { name: string; description: string }> = {
  [LINKTYPE_ETHERNET]: { name: 'EN10MB', description: 'Ethernet' },
  [LINKTYPE_RAW]: { name: 'RAW', description: 'Raw IP' },
  [LINKTYPE_LINUX_SLL]: { name: 'LINUX_SLL', description: 'Linux cooked v1' },
  [LINKTYPE_LINUX_SLL2]: { name: 'LINUX_SLL2', description: 'Linux cooked v2' },
  [LINKTYPE_DOCSIS]: { name: 'DOCSIS', description: 'DOCSIS' },
};

/** tcpdump's banner (without "tcpdump: " or a newline): "listening on lo, link-type EN10MB (Ethernet), snapshot length 262144 bytes". */
export function listeningBanner(cap: LiveCapture): string {
  const n = LIVE_LINKTYPE_NAMES[cap.linktype];
  const lt = n ? `${n.name} (${n.description})` : `${cap.linktype}`;
  return `listening on ${cap.iface}, link-type ${lt}, snapshot length ${cap.snaplen} bytes`;
}

/**
 * tcpdump's closing lines for live capture (info(1)), each ending in '\n': packets captured, received
 * by filter, dropped by kernel, and dropped by interface when that is not 0.
 */
export function closingLines(s: LiveStats): string {
  const line = (n: number, what: string) => `${n} packet${n === 1 ? '' : 's'} ${what}\n`;
  let out =
    line(s.captured ?? 0, 'captured') +
    line(s.received, 'received by filter') +
    line(s.dropped, 'dropped by kernel');
  if (s.ifDropped !== 0) out += line(s.ifDropped, 'dropped by interface');
  return out;
}

/** A device's rx_missed_errors + rx_fifo_errors (libpcap's linux_if_drops), 0 if unreadable. */
function interfaceDrops(iface: string): number {
  let n = 0;
  for (const f of ['rx_missed_errors', 'rx_fifo_errors']) {
    try {
      n += Number.parseInt(readFileSync(`/sys/class/net/${iface}/statistics/${f}`, 'utf8'), 10) || 0;
    } catch {
      // a device without the counter counts as 0, as in libpcap
    }
  }
  return n;
}

/**
 * The link types libpcap offers on a device of this ARPHRD type (pcap_list_datalinks), its default
 * first, and whether it captures through a cooked (SOCK_DGRAM) socket.
 */
function deviceLinkTypes(arptype: number): { linktypes: number[]; cooked: boolean } {
  switch (arptype) {
    case ARPHRD_ETHER:
      return { linktypes: [LINKTYPE_ETHERNET, LINKTYPE_DOCSIS], cooked: false };
    case ARPHRD_LOOPBACK:
      return { linktypes: [LINKTYPE_ETHERNET], cooked: false };
    case ARPHRD_NONE:
    case ARPHRD_TUNNEL:
    case ARPHRD_SIT:
    case ARPHRD_PPP:
      return { linktypes: [LINKTYPE_RAW], cooked: false };
    default:
      // libpcap falls back to cooked capture for types it has no DLT for (e.g. ipgre, ip6tnl).
      return { linktypes: [LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2], cooked: true };
  }
}

/** "any": cooked v1 or v2; tcpdump 4.99 asks for v2 unless -y says otherwise. */
const ANY_LINKTYPES = { linktypes: [LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2], cooked: true };

function linkTypesOf(iface: string): { linktypes: number[]; cooked: boolean } {
  return iface === 'any' ? ANY_LINKTYPES : deviceLinkTypes(arpTypeOf(iface));
}

/**
 * tcpdump -L for a device, the text it writes to stderr: "Data link types for lo (use option -y to
 * set):" then one "  NAME (description)" line per type, " (printing not supported)" added where
 * hasPrinter says so. Opens the device first, so the errors are openLive()'s.
 */
export function listDataLinks(opts: LiveOptions, hasPrinter: (linktype: number) => boolean): string {
  const cap = openLive({ ...opts, linktype: undefined, linktypeName: undefined });
  cap.stop();
  let out = `Data link types for ${cap.iface} (use option -y to set):\n`;
  for (const lt of linkTypesOf(cap.iface).linktypes) {
    const n = LIVE_LINKTYPE_NAMES[lt];
    out += `  ${n.name} (${n.description})${hasPrinter(lt) ? '' : ' (printing not supported)'}\n`;
  }
  return out;
}

/** Opens a live capture, or throws TsvsError('TSVS_ERR_CAPTURE') with tcpdump's message. */
export function openLive(opts: LiveOptions): LiveCapture {
  const iface = opts.iface;
  const native = loadNative();
  if (!native.ok) throw new TsvsError('TSVS_ERR_CAPTURE', `live capture is unavailable: ${native.reason}`);
  const snaplen = opts.snaplen <= 0 || opts.snaplen > MAXIMUM_SNAPLEN ? MAXIMUM_SNAPLEN : opts.snaplen;
  const bufferBytes = Math.max(1, opts.bufferKiB ?? DEFAULT_BUFFER_KIB) * 1024;

  let ifindex = 0;
  if (iface !== 'any') {
    const idx = ifIndexOf(iface);
    if (idx === undefined) {
      // libpcap opens the socket before it looks the device up, so no permission wins over no device.
      probePermission(iface);
      // tcpdump -i N: the Nth device of the -D list.
      if (!/^[0-9]+$/.test(iface)) throw noSuchDevice(iface);
      const n = Number.parseInt(iface, 10);
      const dev = n > 0 ? captureDevices()[n - 1] : undefined;
      if (dev === undefined) throw new TsvsError('TSVS_ERR_CAPTURE', 'Invalid adapter index');
      return openLive({ ...opts, iface: dev.name });
    }
    ifindex = idx;
  }
  const { linktypes, cooked } = linkTypesOf(iface);
  const linktype = opts.linktype ?? (iface === 'any' ? LINKTYPE_LINUX_SLL2 : linktypes[0]);
  if (!linktypes.includes(linktype)) {
    const name = opts.linktypeName ?? LIVE_LINKTYPE_NAMES[linktype]?.name ?? `DLT ${linktype}`;
    throw new TsvsError('TSVS_ERR_CAPTURE', `${name} is not one of the DLTs supported by this device`);
  }

  let sock: PacketSocket;
  try {
    sock = PacketSocket.open({
      ifindex,
      cooked,
      snaplen,
      promisc: opts.promisc && ifindex !== 0,
      bufferBytes,
      ring: !opts.immediate,
      blockTimeoutMs: opts.timeoutMs ?? 100,
    });
  } catch (e) {
    throw captureFailure(iface, e);
  }
  if (ifindex !== 0 && (ifFlagsOf(iface) & IFF_UP) === 0) {
    sock.close();
    throw new TsvsError('TSVS_ERR_CAPTURE', `${iface}: That device is not up`);
  }
  const live = new Live(iface, ifindex, sock, linktype, snaplen, opts.direction, ifIndexOf('lo') ?? -1);
  if (opts.promisc && ifindex !== 0) live.countInterfaceDrops(interfaceDrops(iface));
  return live;
}

function probePermission(iface: string): void {
  try {
    PacketSocket.open({
      ifindex: 0,
      cooked: true,
      snaplen: 64,
      promisc: false,
      bufferBytes: 0,
      ring: false,
    }).close();
  } catch (e) {
    if (isNativeSysError(e) && (e.code === 'EPERM' || e.code === 'EACCES')) throw captureFailure(iface, e);
  }
}

// Classic BPF fields used to adapt programs for cooked sockets (linux/filter.h).
const BPF_CLASS_MASK = 0x07;
const BPF_LD = 0x00;
const BPF_LDX = 0x01;
const BPF_MODE_MASK = 0xe0;
const BPF_ABS = 0x20;
const BPF_IND = 0x40;
const BPF_MSH = 0xa0;
const SKF_AD_OFF = 0xfffff000; // -0x1000 as u32
const SKF_AD_PROTOCOL = 0;
const SKF_AD_PKTTYPE = 4;
const SKF_AD_IFINDEX = 8;

/**
 * A cooked socket's kernel filter sees the packet from the network header, not the LINUX_SLL(2)
 * header the program was compiled for: payload offsets move down by the header length, and the
 * header fields the kernel knows (protocol, packet type, ifindex) become ancillary loads. Returns
 * null when the program reads another header field: then it must run in userland (as libpcap does).
 */
export function cookedKernelProgram(prog: readonly BpfInsn[], linktype: number): BpfInsn[] | null {
  const hdr = linktype === LINKTYPE_LINUX_SLL2 ? SLL2_HDR_LEN : SLL_HDR_LEN;
  const out: BpfInsn[] = [];
  for (const p of prog) {
    const cls = p.code & BPF_CLASS_MASK;
    const mode = p.code & BPF_MODE_MASK;
    let k = p.k >>> 0;
    if ((cls === BPF_LD || cls === BPF_LDX) && (mode === BPF_ABS || mode === BPF_IND || mode === BPF_MSH)) {
      if (k < SKF_AD_OFF) {
        if (k >= hdr) k -= hdr;
        else if (linktype === LINKTYPE_LINUX_SLL2 && k === 0) k = SKF_AD_OFF + SKF_AD_PROTOCOL;
        else if (linktype === LINKTYPE_LINUX_SLL2 && k === 4) k = SKF_AD_OFF + SKF_AD_IFINDEX;
        else if (linktype === LINKTYPE_LINUX_SLL2 && k === 10) k = SKF_AD_OFF + SKF_AD_PKTTYPE;
        else if (linktype !== LINKTYPE_LINUX_SLL2 && k === 0) k = SKF_AD_OFF + SKF_AD_PKTTYPE;
        else if (linktype !== LINKTYPE_LINUX_SLL2 && k === 14) k = SKF_AD_OFF + SKF_AD_PROTOCOL;
        else return null;
      }
    }
    out.push({ code: p.code, jt: p.jt, jf: p.jf, k: k >>> 0 });
  }
  return out;
}

/** Upper bound of read() calls per wake-up, so a flood cannot starve the event loop. */
const READS_PER_WAKE = 16;
const READ_BUFFER_BYTES = 4 * 1024 * 1024;

class Live implements LiveCapture {
  readonly iface: string;
  readonly linktype: number;
  readonly snaplen: number;
  readonly warnings: string[] = [];
  filterIn: 'kernel' | 'userland' | 'none' = 'none';

  private sock: PacketSocket;
  private readonly direction: 'in' | 'out' | 'inout';
  private readonly loIfindex: number;
  private readonly cookedHdr: number;
  private readonly buf: Uint8Array;
  private readonly words: Uint32Array;
  /** The one record handed out, re-pointed for every packet. */
  private readonly rec: PacketRecord;
  private userFilter: CompiledFilter | null = null;
  private filterSet = false;
  private running = false;
  private stopped = false;
  /** rx_missed + rx_fifo errors when the capture began; -1: not counted. */
  private ifDropBase = -1;
  /** Consecutive poll errors with no packet read in between. */
  private pollErrors = 0;
  private readonly ifindex: number;
  private captured = 0;
  private finalStats: LiveStats | null = null;
  private onPacket: (rec: PacketRecord) => void = () => {};
  private onError: (err: TsvsError) => void = () => {};

  constructor(
    iface: string,
    ifindex: number,
    sock: PacketSocket,
    linktype: number,
    snaplen: number,
    direction: 'in' | 'out' | 'inout',
    loIfindex: number,
  ) {
    this.iface = iface;
    this.ifindex = ifindex;
    this.sock = sock;
    this.linktype = linktype;
    this.snaplen = snaplen;
    this.direction = direction;
    this.loIfindex = loIfindex;
    this.cookedHdr =
      linktype === LINKTYPE_LINUX_SLL2 ? SLL2_HDR_LEN : linktype === LINKTYPE_LINUX_SLL ? SLL_HDR_LEN : 0;
    const size = Math.max(READ_BUFFER_BYTES, 8 * sock.minReadBuffer());
    const ab = new ArrayBuffer(size);
    this.buf = new Uint8Array(ab);
    this.words = new Uint32Array(ab);
    this.rec = { buf: this.buf, off: 0, caplen: 0, len: 0, tsSec: 0, tsNsec: 0, linktype, ifIndex: 0 };
  }

  setFilter(prog: BpfInsn[]): void {
    if (this.stopped) return;
    let kernelProg: BpfInsn[] | null = prog;
    if (this.cookedHdr !== 0) kernelProg = cookedKernelProgram(prog, this.linktype);
    this.userFilter = null;
    this.filterIn = 'kernel';
    if (kernelProg !== null) {
      try {
        this.sock.setFilter(kernelProg);
        this.filterSet = true;
        return;
      } catch (e) {
        // libpcap warns and filters in userland (e.g. a program too big for the kernel).
        const code = isNativeSysError(e) ? e.code : '';
        if (code === 'ENOMEM') {
          this.warnings.push(
            "Warning: Couldn't allocate kernel memory for filter: try increasing net.core.optmem_max with sysctl",
          );
        } else if (code !== 'ENOPROTOOPT' && code !== 'EOPNOTSUPP') {
          const msg = e instanceof Error ? e.message.replace(/^[^:]*\): /, '') : String(e);
          this.warnings.push(`Warning: Kernel filter failed: ${msg}`);
        }
      }
    }
    this.userFilter = compileToFunction(prog);
    this.filterIn = 'userland';
    this.acceptAllInKernel();
    this.filterSet = true;
  }

  /** Replaces the reject-all filter the socket was opened with by "accept snaplen bytes". */
  private acceptAllInKernel(): void {
    try {
      this.sock.setFilter([{ code: 0x06, jt: 0, jf: 0, k: this.snaplen }]);
    } catch (e) {
      throw captureFailure(this.iface, e);
    }
  }

  start(onPacket: (rec: PacketRecord) => void, onError?: (err: TsvsError) => void): void {
    if (this.running || this.stopped) return;
    this.onPacket = onPacket;
    if (onError) this.onError = onError;
    if (!this.filterSet) {
      this.acceptAllInKernel();
      this.filterSet = true;
    }
    this.running = true;
    try {
      this.sock.onReadable((status) => this.wake(status));
    } catch (e) {
      this.running = false;
      throw captureFailure(this.iface, e);
    }
  }

  private wake(status: number): void {
    if (!this.running) return;
    if (status < 0) {
      // libuv stops a poll that reports POLLERR; the socket error says why (read() throws it).
      this.pollErrors++;
    }
    try {
      for (let i = 0; i < READS_PER_WAKE && this.running; i++) {
        const n = this.sock.read(this.buf);
        if (n === 0) break;
        this.pollErrors = 0;
        this.deliver(n);
      }
      if (status < 0 && this.running) this.rearm(`poll failed (libuv status ${status})`);
    } catch (e) {
      if (isNativeSysError(e) && e.code === 'ENETDOWN') {
        // libpcap: a device that went down is waited for; only one that is gone ends the capture.
        if (this.ifindex !== 0 && ifIndexOf(this.iface) !== this.ifindex) {
          this.fail(new TsvsError('TSVS_ERR_CAPTURE', 'pcap_loop: The interface disappeared'));
        } else {
          this.rearm('The interface went down');
        }
      } else if (isNativeSysError(e) && (e.code === 'ENXIO' || e.code === 'ENODEV')) {
        this.fail(new TsvsError('TSVS_ERR_CAPTURE', 'pcap_loop: The interface disappeared'));
      } else if (e instanceof TsvsError) {
        // e.g. the -w writer's "No space left on device", thrown by onPacket
        this.fail(e);
      } else if (isNativeSysError(e)) {
        this.fail(new TsvsError('TSVS_ERR_CAPTURE', `pcap_loop: ${e.message}`));
      } else {
        throw e; // an exception from onPacket: not ours to swallow
      }
    }
  }

  /** Polls again after libuv stopped on an error; gives up if errors repeat with nothing read. */
  private rearm(why: string): void {
    if (this.pollErrors > 100) {
      this.fail(new TsvsError('TSVS_ERR_CAPTURE', `pcap_loop: ${why}`));
      return;
    }
    this.sock.onReadable((st) => this.wake(st));
  }

  private fail(err: TsvsError): void {
    this.stop();
    this.onError(err);
  }

  /** Hands out each record of buf[0..n). Allocation-free: re-points this.rec. */
  private deliver(n: number): void {
    const buf = this.buf;
    const w = this.words;
    const rec = this.rec;
    const hdr = this.cookedHdr;
    for (let off = 0; off < n && this.running; ) {
      const wi = off >>> 2;
      const recLen = w[wi + REC_W_RECLEN];
      let caplen = w[wi + REC_W_CAPLEN];
      let len = w[wi + REC_W_WIRELEN];
      const ifindex = w[wi + REC_W_IFINDEX] | 0;
      const pw = w[wi + REC_W_PROTO];
      const pkttype = (pw >>> 16) & 0xff;
      const data = off + REC_DATA_BYTE;
      const tsSec = w[wi + REC_W_SEC];
      const tsNsec = w[wi + REC_W_NSEC];
      off += recLen;
      if (recLen === 0) break; // never happens; guards against looping forever on a bad record

      // libpcap's direction check: our own transmissions on lo are seen again as input; -Q.
      if (pkttype === PACKET_OUTGOING) {
        if (ifindex === this.loIfindex || this.direction === 'in') continue;
      } else if (this.direction === 'out') continue;

      let start = data;
      if (hdr !== 0) {
        const protocol = pw & 0xffff;
        const vlanPending = (pw >>> 24) & REC_FLAG_VLAN_PENDING;
        const hw = w[wi + REC_W_HATYPE];
        const hatype = hw & 0xffff;
        const halen = (hw >>> 16) & 0xff;
        // sll_addr bytes, read before the cooked header (built in place over the record header) covers them.
        const base = data - REC_DATA_BYTE + REC_ADDR_BYTE;
        const b0 = buf[base];
        const b1 = buf[base + 1];
        const b2 = buf[base + 2];
        const b3 = buf[base + 3];
        const b4 = buf[base + 4];
        const b5 = buf[base + 5];
        const b6 = buf[base + 6];
        const b7 = buf[base + 7];
        if (hdr === SLL2_HDR_LEN) {
          start = data - SLL2_HDR_LEN;
          buf[start] = protocol >>> 8;
          buf[start + 1] = protocol & 0xff;
          buf[start + 2] = 0;
          buf[start + 3] = 0;
          buf[start + 4] = ifindex >>> 24;
          buf[start + 5] = (ifindex >>> 16) & 0xff;
          buf[start + 6] = (ifindex >>> 8) & 0xff;
          buf[start + 7] = ifindex & 0xff;
          buf[start + 8] = hatype >>> 8;
          buf[start + 9] = hatype & 0xff;
          buf[start + 10] = pkttype;
          buf[start + 11] = halen;
          caplen += SLL2_HDR_LEN;
          len += SLL2_HDR_LEN;
        } else {
          const vlan = vlanPending !== 0 ? w[wi + REC_W_VLAN] : 0;
          start = data - SLL_HDR_LEN - (vlanPending !== 0 ? VLAN_TAG_LEN : 0);
          buf[start] = 0;
          buf[start + 1] = pkttype;
          buf[start + 2] = hatype >>> 8;
          buf[start + 3] = hatype & 0xff;
          buf[start + 4] = 0;
          buf[start + 5] = halen;
          let p = start + 14;
          if (vlanPending !== 0) {
            const tci = vlan & 0xffff;
            const tpid = vlan >>> 16;
            buf[p] = tpid >>> 8;
            buf[p + 1] = tpid & 0xff;
            buf[p + 2] = tci >>> 8;
            buf[p + 3] = tci & 0xff;
            p += 4;
            caplen += VLAN_TAG_LEN;
            len += VLAN_TAG_LEN;
          }
          buf[p] = protocol >>> 8;
          buf[p + 1] = protocol & 0xff;
          caplen += SLL_HDR_LEN;
          len += SLL_HDR_LEN;
        }
        // sll_addr sits at offset 12 of SLL2 and 6 of SLL.
        const ad = start + (hdr === SLL2_HDR_LEN ? 12 : 6);
        buf[ad] = b0;
        buf[ad + 1] = b1;
        buf[ad + 2] = b2;
        buf[ad + 3] = b3;
        buf[ad + 4] = b4;
        buf[ad + 5] = b5;
        buf[ad + 6] = b6;
        buf[ad + 7] = b7;
      }
      if (this.userFilter !== null && this.userFilter(buf, start, caplen, len) === 0) continue;
      if (caplen > this.snaplen) caplen = this.snaplen;
      rec.off = start;
      rec.caplen = caplen;
      rec.len = len;
      rec.tsSec = tsSec;
      rec.tsNsec = tsNsec;
      this.captured++;
      this.onPacket(rec);
    }
  }

  stop(): void {
    if (this.stopped) return;
    this.running = false;
    this.stopped = true;
    try {
      this.finalStats = this.readStats();
    } catch {
      this.finalStats = { captured: this.captured, received: 0, dropped: 0, ifDropped: 0 };
    }
    this.sock.close();
  }

  /** Starts counting "dropped by interface" from this base (promiscuous captures on one device). */
  countInterfaceDrops(base: number): void {
    this.ifDropBase = base;
  }

  private readStats(): LiveStats {
    const s = this.sock.stats();
    const ifDropped = this.ifDropBase < 0 ? 0 : Math.max(0, interfaceDrops(this.iface) - this.ifDropBase);
    return { captured: this.captured, received: s.received, dropped: s.dropped, ifDropped };
  }

  stats(): LiveStats {
    if (this.finalStats) return { ...this.finalStats };
    try {
      return this.readStats();
    } catch (e) {
      throw captureFailure(this.iface, e);
    }
  }
}
