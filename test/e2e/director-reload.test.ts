// End to end: SIGHUP re-reads --config/--rules and applies only the difference, so a long transfer
// on an unchanged service goes on to its last byte; the config file's fwmark listeners share one
// service and its persistence (the seeds' 80+443), and proxy-protocol reaches the real server.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { connect, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  connectRead,
  freePorts,
  type Held,
  httpGet,
  httpServers,
  namedServers,
  startDaemon,
  tempDir,
} from './director-support.js';

const CHUNK = 256 * 1024;
const CHUNKS = 48; // 12 MiB, written with pauses: about a second on the wire

function chunk(i: number): Buffer {
  return Buffer.alloc(CHUNK, i & 0xff);
}

test('a long transfer survives SIGHUP; the reload applies only the difference', async (t) => {
  const dir = tempDir(t);
  const [slow] = await httpServers(t, ['slow'], (_name, res) => {
    res.writeHead(200, { 'content-length': CHUNK * CHUNKS });
    let i = 0;
    const next = () => {
      if (i === CHUNKS) return void res.end();
      const ok = res.write(chunk(i++));
      if (ok) setTimeout(next, 20);
      else res.once('drain', () => setTimeout(next, 20));
    };
    next();
  });
  const [other] = await httpServers(t, ['other']);
  const [vport, v2port] = await freePorts(2);
  const rules = join(dir, 'rules');
  writeFileSync(
    rules,
    `-A -t 127.0.0.1:${vport} -s rr\n-a -t 127.0.0.1:${vport} -r 127.0.0.1:${slow!.port} -m\n-A -t 127.0.0.1:${v2port} -s rr\n`,
  );
  const d = await startDaemon(t, dir, ['--rules', rules]);

  const want = createHash('sha256');
  for (let i = 0; i < CHUNKS; i++) want.update(chunk(i));
  let hupSent = false;
  let ended = false;
  const transfer = new Promise<{ bytes: number; sha: string }>((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port: vport, path: '/', agent: false }, (res) => {
      const h = createHash('sha256');
      let bytes = 0;
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        h.update(c);
        if (!hupSent && bytes >= CHUNK) {
          hupSent = true;
          // Same first service; the second one changes scheduler and gains a real; a third appears.
          writeFileSync(
            rules,
            `-A -t 127.0.0.1:${vport} -s rr\n-a -t 127.0.0.1:${vport} -r 127.0.0.1:${slow!.port} -m\n` +
              `-A -t 127.0.0.1:${v2port} -s wlc\n-a -t 127.0.0.1:${v2port} -r 127.0.0.1:${other!.port} -m -w 2\n` +
              '-A -u 127.0.0.1:5300 -s rr\n--set 901 121 301\n',
          );
          d.proc.kill('SIGHUP');
        }
      });
      res.on('end', () => {
        ended = true;
        resolve({ bytes, sha: h.digest('hex') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
  });
  await d.waitLog(/tsvs reloaded changes=4/, 10_000);
  assert.equal(ended, false, 'the reload happened during the transfer (48 chunks, 20 ms apart)');
  const got = await transfer;
  assert.equal(got.bytes, CHUNK * CHUNKS);
  assert.equal(got.sha, want.digest('hex'));
  assert.match(d.log(), /rule why=reload command="-E -t 127\.0\.0\.1:\d+ -s wlc"/);
  assert.doesNotMatch(d.log(), new RegExp(`why=reload command="-[DEde] -t 127\\.0\\.0\\.1:${vport}`));
  const ln = (await d.adm('-Ln')).stdout;
  assert.match(
    ln,
    new RegExp(`TCP  127\\.0\\.0\\.1:${v2port} wlc\\n  -> 127\\.0\\.0\\.1:${other!.port} +Masq    2 `),
  );
  assert.match(ln, /UDP {2}127\.0\.0\.1:5300 rr/);
  assert.equal((await d.adm('-L --timeout')).stdout, 'Timeout (tcp tcpfin udp): 901 121 301\n');
  // The new real behind the edited service answers through the plane.
  assert.equal(await httpGet(v2port!), 'other\n');
  // SIGTERM: exit 0, socket gone.
  assert.equal(await d.stop(), 0);
});

test('--config: fwmark listeners share one persistent service; proxy-protocol v1 reaches the real server', async (t) => {
  const dir = tempDir(t);
  const [A, B] = await namedServers(t, ['A', 'B']);
  // A real server that answers with the first line it received (the PROXY header).
  const sockets = new Set<Socket>();
  const echo = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.setEncoding('utf8');
    let buf = '';
    let answered = false;
    // Answer once, with the first line received (the PROXY header), however the bytes are split.
    s.on('data', (c: string) => {
      buf += c;
      const i = buf.indexOf('\n');
      if (i >= 0 && !answered) {
        answered = true;
        s.write(`${JSON.stringify(buf.slice(0, i + 1))}\n`);
      }
    });
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
  t.after(() => {
    for (const s of sockets) s.destroy();
    return new Promise<void>((r) => echo.close(() => r()));
  });
  const echoPort = (echo.address() as { port: number }).port;
  const [p80, p443, ppp, p8443] = await freePorts(4);
  const conf = join(dir, 'tsvs.conf');
  writeFileSync(
    conf,
    `# the seeds' 80 + 443 under mark 99, persistent
fwmark 99 tcp 127.0.0.1:${p80} tcp 127.0.0.1:${p443}
-A -f 99 -s rr -p
-a -f 99 -r 127.0.0.1:${A!.port} -m
-a -f 99 -r 127.0.0.1:${B!.port} -m
proxy-protocol v1 -t 127.0.0.1:${ppp}
-A -t 127.0.0.1:${ppp} -s rr
-a -t 127.0.0.1:${ppp} -r 127.0.0.1:${echoPort} -m
`,
  );
  const d = await startDaemon(t, dir, ['--config', conf, '--no-state']);
  const held: Held[] = [];
  t.after(() => {
    for (const h of held) h.socket.destroy();
  });
  const seen: string[] = [];
  for (const port of [p80, p443, p80, p443]) {
    const h = await connectRead(port!);
    held.push(h);
    seen.push(h.line);
  }
  // rr would alternate; the persistence template of the mark keeps the client on one server (B,
  // the list head), whichever of the two ports it dials.
  assert.deepEqual(seen, ['B', 'B', 'B', 'B']);
  const lnc = (await d.adm('-Lnc')).stdout;
  // One template for the mark (protocol IP, client port 0, vaddr = the mark), four connections.
  assert.match(lnc, /\nIP {2}0[56]:\d\d {2}(NONE|ASSURED) +127\.0\.0\.1:0 +0\.0\.0\.99:0 +127\.0\.0\.1:0\n/);
  assert.equal(lnc.match(/\nTCP 1[45]:\d\d {2}ESTABLISHED /g)?.length, 4);

  // SIGHUP with a third listener for the mark: it opens, and the template still holds.
  const before = (await d.adm('-S -n')).stdout;
  writeFileSync(
    conf,
    readFileSync(conf, 'utf8').replace(
      `tcp 127.0.0.1:${p443}`,
      `tcp 127.0.0.1:${p443} tcp 127.0.0.1:${p8443}`,
    ),
  );
  d.proc.kill('SIGHUP');
  await d.waitLog(/tsvs reloaded changes=0/);
  const h = await connectRead(p8443!);
  held.push(h);
  assert.equal(h.line, 'B');
  assert.equal((await d.adm('-S -n')).stdout, before, 'the rules did not change');

  // PROXY v1: the real server sees the client's address and the port it dialled first.
  const client = await new Promise<{ line: string; port: number }>((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port: ppp! });
    s.setEncoding('utf8');
    let buf = '';
    s.on('connect', () => s.write('hello\n'));
    s.on('data', (c: string) => {
      buf += c;
      if (buf.includes('\n')) {
        resolve({ line: buf.slice(0, buf.indexOf('\n')), port: s.localPort! });
        s.destroy();
      }
    });
    s.on('error', reject);
  });
  assert.equal(client.line, JSON.stringify(`PROXY TCP4 127.0.0.1 127.0.0.1 ${client.port} ${ppp}\r\n`));
});

test('SIGTERM: new connections are refused, the open transfer drains, exit 0, socket removed', async (t) => {
  const dir = tempDir(t);
  const [slow] = await httpServers(t, ['slow'], (_name, res) => {
    res.writeHead(200, { 'content-length': 64 * 1024 * 40 });
    let i = 0;
    const next = () => {
      if (i++ === 40) return void res.end();
      res.write(Buffer.alloc(64 * 1024, 0x61));
      setTimeout(next, 15);
    };
    next();
  });
  const [vport] = await freePorts(1);
  const rules = join(dir, 'rules');
  writeFileSync(
    rules,
    `-A -t 127.0.0.1:${vport} -s rr\n-a -t 127.0.0.1:${vport} -r 127.0.0.1:${slow!.port} -m\n`,
  );
  const d = await startDaemon(t, dir, ['--rules', rules, '--no-state']);
  let termSent = false;
  const transfer = new Promise<number>((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port: vport, path: '/', agent: false }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        if (!termSent) {
          termSent = true;
          d.proc.kill('SIGTERM');
        }
      });
      res.on('end', () => resolve(bytes));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
  await d.waitLog(/signal signal=SIGTERM action=stop/);
  await assert.rejects(httpGet(vport!), /ECONNREFUSED/);
  assert.equal(await transfer, 64 * 1024 * 40);
  assert.equal(await d.exited(), 0);
  assert.match(d.log(), /tsvs stopped socket=/);
  assert.equal(existsSync(d.socket), false);
});
