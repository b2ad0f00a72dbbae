// tcpdump -D: the capture devices in libpcap's order and format, read from /sys/class/net.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { loadNative } from '../../io/native.js';

/** net_device flags (linux/if.h) as /sys/class/net/<if>/flags shows them. */
export const IFF_UP = 0x1;
export const IFF_LOOPBACK = 0x8;
export const IFF_PROMISC = 0x100;

/** ARPHRD_* values that matter for capture (linux/if_arp.h). */
export const ARPHRD_ETHER = 1;
export const ARPHRD_PPP = 512;
export const ARPHRD_TUNNEL = 768;
export const ARPHRD_LOOPBACK = 772;
export const ARPHRD_SIT = 776;
export const ARPHRD_NONE = 65534;
/** Wireless ARPHRD types: IRDA, IEEE80211, _PRISM, _RADIOTAP, IEEE802154, IEEE802154_MONITOR, 6LOWPAN. */
const WIRELESS_ARPHRD = new Set([783, 801, 802, 803, 804, 805, 825]);

/** libpcap's connection status values (PCAP_IF_CONNECTION_STATUS_*). */
export type ConnectionStatus = 'unknown' | 'connected' | 'disconnected' | 'not-applicable';

export interface CaptureDevice {
  name: string;
  description?: string;
  ifindex: number;
  up: boolean;
  running: boolean;
  loopback: boolean;
  wireless: boolean;
  status: ConnectionStatus;
}

const SYS = '/sys/class/net';

function readSys(name: string, attr: string): string | undefined {
  try {
    return readFileSync(`${SYS}/${name}/${attr}`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** The device's ifindex, or undefined if there is no such network interface. */
export function ifIndexOf(name: string): number | undefined {
  if (name.includes('/') || name === '.' || name === '..' || name === '') return undefined;
  const v = readSys(name, 'ifindex');
  return v === undefined ? undefined : Number.parseInt(v, 10);
}

/** dev->flags of the device (IFF_*), 0 if unreadable. */
export function ifFlagsOf(name: string): number {
  const v = readSys(name, 'flags');
  return v === undefined ? 0 : Number.parseInt(v, 16);
}

/** ARPHRD_* type of the device, -1 if unreadable. */
export function arpTypeOf(name: string): number {
  const v = readSys(name, 'type');
  return v === undefined ? -1 : Number.parseInt(v, 10);
}

function connectionStatus(name: string, loopback: boolean, arptype: number): ConnectionStatus {
  // libpcap: loopback devices are "not applicable"; ARPHRD_LOOPBACK without IFF_LOOPBACK is left unknown.
  if (loopback) return 'not-applicable';
  if (arptype === ARPHRD_LOOPBACK) return 'unknown';
  const native = loadNative();
  if (native.ok) {
    // ETHTOOL_GLINK, exactly what libpcap asks (EOPNOTSUPP: the driver has no link state).
    const s = native.addon.linkStatus(name);
    return s === 1 ? 'connected' : s === 0 ? 'disconnected' : s === -1 ? 'not-applicable' : 'unknown';
  }
  // Without the addon, the carrier file is the nearest thing (it is what ethtool_op_get_link reads).
  const carrier = readSys(name, 'carrier');
  if (carrier === '1') return 'connected';
  if (carrier === '0') return 'disconnected';
  return readSys(name, 'operstate') === 'down' ? 'disconnected' : 'unknown';
}

/** Network interfaces of this namespace, in ifindex order (the order getifaddrs reports them). */
export function networkDevices(): CaptureDevice[] {
  let names: string[];
  try {
    names = readdirSync(SYS);
  } catch {
    return [];
  }
  const devs: CaptureDevice[] = [];
  for (const name of names) {
    const ifindex = ifIndexOf(name);
    if (ifindex === undefined || Number.isNaN(ifindex)) continue;
    const flags = ifFlagsOf(name);
    const arptype = arpTypeOf(name);
    const up = (flags & IFF_UP) !== 0;
    const oper = readSys(name, 'operstate');
    const loopback = (flags & IFF_LOOPBACK) !== 0;
    devs.push({
      name,
      ifindex,
      up,
      // IFF_RUNNING is not in /sys flags: the kernel derives it as "up and operstate up or unknown".
      running: up && (oper === 'up' || oper === 'unknown'),
      loopback,
      wireless: WIRELESS_ARPHRD.has(arptype) || existsSync(`${SYS}/${name}/phy80211`),
      status: connectionStatus(name, loopback, arptype),
    });
  }
  devs.sort((a, b) => a.ifindex - b.ifindex);
  return devs;
}

/** libpcap's figure of merit: lower sorts first (running, up, connected, non-loopback, "any" last). */
function figureOfMerit(d: CaptureDevice): number {
  let n = 0;
  if (!d.running) n |= 0x80000000;
  if (!d.up) n |= 0x40000000;
  if (!d.wireless && d.status === 'disconnected') n |= 0x20000000;
  if (d.loopback) n |= 0x10000000;
  if (d.name === 'any') n |= 0x08000000;
  return n >>> 0;
}

export const ANY_DESCRIPTION = 'Pseudo-device that captures on all interfaces';

/** All capture devices, ordered like pcap_findalldevs(): stable by figure of merit. */
export function captureDevices(): CaptureDevice[] {
  const list = networkDevices();
  list.push({
    name: 'any',
    description: ANY_DESCRIPTION,
    ifindex: 0,
    up: true,
    running: true,
    loopback: false,
    wireless: false,
    status: 'not-applicable',
  });
  // Array.prototype.sort is stable: equal merits keep discovery order, as add_dev() does.
  return list.sort((a, b) => figureOfMerit(a) - figureOfMerit(b));
}

/** One `tcpdump -D` line (without the newline). */
export function formatDevice(index: number, d: CaptureDevice): string {
  let s = `${index}.${d.name}`;
  if (d.description !== undefined) s += ` (${d.description})`;
  const words: string[] = [];
  if (d.up) words.push('Up');
  if (d.running) words.push('Running');
  if (d.loopback) words.push('Loopback');
  if (d.wireless) words.push('Wireless');
  const hasFlags = words.length > 0 || d.status !== 'unknown';
  if (!hasFlags) return s; // flags == 0: tcpdump prints no brackets
  let t = words.length > 0 ? words.join(', ') : 'none';
  if (d.wireless) {
    if (d.status === 'unknown') t += ', Association status unknown';
    else if (d.status === 'connected') t += ', Associated';
    else if (d.status === 'disconnected') t += ', Not associated';
  } else {
    if (d.status === 'unknown') t += ', Connection status unknown';
    else if (d.status === 'connected') t += ', Connected';
    else if (d.status === 'disconnected') t += ', Disconnected';
  }
  return `${s} [${t}]`;
}
