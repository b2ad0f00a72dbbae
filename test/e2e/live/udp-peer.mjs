// UDP traffic of known content for the live-capture e2e tests (runs inside a test namespace).
//   recv PORT COUNT TIMEOUT_MS            prints LISTENING, exits after COUNT datagrams or the timeout
//   send DST PORT COUNT TAG SIZE [SPORT]  sends COUNT datagrams "TAG i" padded with '.' to SIZE bytes
import { createSocket } from 'node:dgram';

const [mode, ...args] = process.argv.slice(2);
if (mode === 'recv') {
  const [port, count, timeoutMs] = args.map(Number);
  const s = createSocket('udp4');
  let got = 0;
  const timer = setTimeout(() => s.close(), timeoutMs);
  s.on('message', () => {
    if (++got >= count) {
      clearTimeout(timer);
      s.close();
    }
  });
  s.bind(port, () => process.stdout.write('LISTENING\n'));
} else if (mode === 'send') {
  const [dst, port, count, tag, size, sport] = args;
  const s = createSocket('udp4');
  const n = Number(count);
  let i = 0;
  const next = () => {
    if (i >= n) {
      s.close();
      return;
    }
    const text = `${tag} ${i}`;
    const payload = Buffer.alloc(Number(size), '.');
    payload.write(text);
    i++;
    s.send(payload, Number(port), dst, next);
  };
  s.bind(Number(sport ?? 0), next);
} else {
  process.stderr.write('usage: udp-peer.mjs recv|send ...\n');
  process.exit(2);
}
