// BSD timed printer (Time Synchronization Protocol, UDP port 525), byte-exact with tcpdump
// 4.99.3's timed_print: `TSP_MASTERUP vers 1 seq 7 name host`.
import type { PrintContext } from './context.js';
import { charText } from './dns-text.js';

const TYPE_NAMES = [
  'TSP_ANY',
  'TSP_ADJTIME',
  'TSP_ACK',
  'TSP_MASTERREQ',
  'TSP_MASTERACK',
  'TSP_SETTIME',
  'TSP_MASTERUP',
  'TSP_SLAVEUP',
  'TSP_ELECTION',
  'TSP_ACCEPT',
  'TSP_REFUSE',
  'TSP_CONFLICT',
  'TSP_RESOLVE',
  'TSP_QUIT',
  'TSP_DATE',
  'TSP_DATEREQ',
  'TSP_DATEACK',
  'TSP_TRACEON',
  'TSP_TRACEOFF',
  'TSP_MSITE',
  'TSP_MSITEREQ',
  'TSP_TEST',
  'TSP_SETDATE',
  'TSP_SETDATEREQ',
  'TSP_LOOP',
];
const ADJTIME = 1;
const SETTIME = 5;
const SETDATE = 22;
const SETDATEREQ = 23;
const LOOP = 24;
const NAME_LEN = 256;

/** tcpdump timed_print: the message at off (UDP payload; tcpdump passes no length). */
export function timedPrint(ctx: PrintContext, off: number): void {
  ctx.protocol = 'timed';
  const type = ctx.u8(off);
  ctx.print(TYPE_NAMES[type] ?? `(tsp_type 0x${type.toString(16)})`);
  ctx.print(` vers ${ctx.u8(off + 1)}`);
  ctx.print(` seq ${ctx.u16(off + 2)}`);
  if (type === LOOP) ctx.print(` hopcnt ${ctx.u8(off + 4)}`);
  else if (type === SETTIME || type === ADJTIME || type === SETDATE || type === SETDATEREQ) {
    let sec = ctx.u32(off + 4) | 0;
    let usec = ctx.u32(off + 8) | 0;
    // an invalid time ends the message
    if (usec < 0) return;
    ctx.print(' time ');
    if (sec < 0 && usec !== 0) {
      sec++;
      if (sec === 0) ctx.print('-');
      usec = 1000000 - usec;
    }
    ctx.print(`${sec}.${String(usec).padStart(6, '0')}`);
  }
  ctx.print(' name ');
  // NUL-terminated, up to 256 bytes; a read past the capture ends the packet
  const name = off + 12; // after the 8-byte time/hop-count union
  for (let k = 0; k < NAME_LEN; k++) {
    const c = ctx.u8(name + k);
    if (c === 0) break;
    ctx.print(charText(c));
  }
}
