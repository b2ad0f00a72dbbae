// `tsvs lab nat|fullnat|tun|dr|proxy [--json] [--keep] [--requests N]` and `tsvs lab down`.
import { LAB_MODES, type LabMode, runLab } from '../../lab/lab.js';
import { labDown } from '../../lab/netns.js';

const USAGE = `Usage: tsvs lab nat|fullnat|tun|dr|proxy [--json] [--keep] [--requests N] [--reals 2|3]
                [--flood SYNS [--flood-rate PER_SECOND]] [--conn-capacity N] [--no-capture] [--runner]
       tsvs lab down
Builds the LVS setup in network namespaces (names tsl-*, addresses 10.99.x.x), runs the director
(tsvs run, or with --runner the lab's own runner that also reports the forwarder's counters) and a
client loop, captures with tsdump and shows the client's SYN as the real server saw it.
Needs root (network namespaces) and, except proxy, the packet plane (CAP_NET_ADMIN, /dev/net/tun).
`;

export async function labMain(argv: string[]): Promise<number> {
  const [mode, ...rest] = argv;
  if (mode === undefined || mode === '-h' || mode === '--help') {
    (mode ? process.stdout : process.stderr).write(USAGE);
    return mode ? 0 : 2;
  }
  if (process.platform !== 'linux' || (process.getuid && process.getuid() !== 0)) {
    process.stderr.write(
      'tsvs lab: needs root on Linux (it creates network namespaces); try: sudo tsvs lab ...\n',
    );
    return 1;
  }
  if (mode === 'down') {
    if (rest.length > 0) {
      process.stderr.write(`tsvs lab down: unexpected argument '${rest[0]}'\n${USAGE}`);
      return 2;
    }
    const gone = labDown();
    process.stdout.write(gone.length > 0 ? `removed ${gone.join(' ')}\n` : 'nothing to remove\n');
    return 0;
  }
  if (!(LAB_MODES as readonly string[]).includes(mode)) {
    process.stderr.write(`tsvs lab: unknown mode '${mode}'\n${USAGE}`);
    return 2;
  }
  let json = false;
  let keep = false;
  let requests = 6;
  let reals = 3;
  let flood = 0;
  let floodRate = 10_000;
  let connCapacity = 1 << 16;
  let capture = true;
  let runner = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '--json') json = true;
    else if (a === '--keep') keep = true;
    else if (a === '--no-capture') capture = false;
    else if (a === '--runner') runner = true;
    else if (a === '--flood' || a === '--flood-rate' || a === '--conn-capacity') {
      const v = Number(rest[++i]);
      const max = a === '--flood' ? 1_000_000 : a === '--flood-rate' ? 1_000_000 : 1 << 22;
      if (!Number.isInteger(v) || v < (a === '--flood' ? 0 : 1000) || v > max) {
        process.stderr.write(`tsvs lab: ${a} needs a whole number up to ${max}\n`);
        return 2;
      }
      if (a === '--flood') flood = v;
      else if (a === '--flood-rate') floodRate = v;
      else connCapacity = v;
    } else if (a === '--requests' || a === '--reals') {
      const v = Number(rest[++i]);
      const okRange = a === '--requests' ? v >= 1 && v <= 1000 : v === 2 || v === 3;
      if (!Number.isInteger(v) || !okRange) {
        process.stderr.write(`tsvs lab: ${a} needs ${a === '--requests' ? 'a count 1..1000' : '2 or 3'}\n`);
        return 2;
      }
      if (a === '--requests') requests = v;
      else reals = v;
    } else {
      process.stderr.write(`tsvs lab: unknown option '${a}'\n${USAGE}`);
      return 2;
    }
  }
  const out: string[] = [];
  const print = (line: string) => {
    if (json) out.push(line);
    else process.stdout.write(`${line}\n`);
  };
  try {
    const r = await runLab(mode as LabMode, {
      keep,
      requests,
      reals,
      print,
      flood,
      floodRate,
      connCapacity,
      capture,
      director: runner ? 'runner' : 'daemon',
    });
    if (json) {
      for (const l of out) process.stdout.write(`${l}\n`);
      process.stdout.write(`${JSON.stringify(r)}\n`);
    }
    const distinct = new Set(r.servers_seen.filter((s) => s !== ''));
    return r.errors === 0 && distinct.size > 0 ? 0 : 1;
  } catch (e) {
    for (const l of out) process.stderr.write(`${l}\n`);
    process.stderr.write(`tsvs lab ${mode}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
