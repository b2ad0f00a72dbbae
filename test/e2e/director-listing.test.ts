// End to end: what `tsvsadm -Ln`, `--stats`, `--rate` and `-Lnc` print about real traffic through
// `tsvs run`, against golden text (formats: reference/ipvs-semantics.md §5.5).
// Normalized, because they really vary: the ephemeral ports (5 digits, written as VPORT/APORT/
// BPORT/CPORT in the golden so column widths stay true), the rate figures (each 9-column field
// is checked for its width and digits, then written `#`), -Lnc's expiry seconds (MM:SS -> checked
// against the state's timeout, then `##:##`) and -Lnc's row order (hash order: rows are sorted).
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { connect, createServer, type Socket } from 'node:net';
import { test } from 'node:test';
import { callDaemon } from '../../src/control/client.js';
import type { DirectorSnapshot } from '../../src/director/index.js';
import { freePorts, type Held, startDaemon, tempDir } from './director-support.js';

/** Real servers that answer one line `ping\n` with `pong NAME\n` and close (server closes first). */
async function pongServers(t: { after: (fn: () => unknown) => void }, ports: number[], names: string[]) {
  for (let i = 0; i < names.length; i++) {
    const sockets = new Set<Socket>();
    const server = createServer((s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
      let buf = '';
      s.setEncoding('utf8');
      s.on('data', (c: string) => {
        buf += c;
        if (buf.includes('\n')) s.end(`pong ${names[i]}\n`);
      });
    });
    await new Promise<void>((r) => server.listen(ports[i], '127.0.0.1', () => r()));
    t.after(() => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    });
  }
}

/** ping -> pong through the director; resolves with the answer once both sides closed. */
function ping(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port });
    let text = '';
    s.setEncoding('utf8');
    s.on('connect', () => s.write('ping\n'));
    s.on('data', (c: string) => (text += c));
    s.on('end', () => s.end());
    s.on('close', () => resolve(text));
    s.on('error', reject);
    s.setTimeout(5000, () => s.destroy(new Error('ping timeout')));
  });
}

test('-Ln, --stats, --rate and -Lnc describe the traffic that went through', async (t) => {
  const dir = tempDir(t);
  const [vport, aport, bport, cport] = await freePorts(4);
  const norm = (s: string) =>
    s
      .replaceAll(`:${vport}`, ':VPORT')
      .replaceAll(`:${aport}`, ':APORT')
      .replaceAll(`:${bport}`, ':BPORT')
      .replaceAll(`:${cport}`, ':CPORT');
  await pongServers(t, [aport!, bport!], ['A', 'B']);
  const d = await startDaemon(t, dir, ['--no-state']);
  const vip = `127.0.0.1:${vport}`;
  for (const line of [
    `-A -t ${vip} -s rr`,
    `-a -t ${vip} -r 127.0.0.1:${aport} -m -w 1`,
    `-a -t ${vip} -r 127.0.0.1:${bport} -m -w 2 -x 100 -y 10`,
    '-A -f 99 -s wrr -p 3600 -M 255.255.255.0',
    `-a -f 99 -r 127.0.0.1:${cport} -g -w 0`,
  ]) {
    const r = await d.adm(line);
    assert.equal(r.status, 0, `${line}: ${r.stderr}`);
  }
  // Four closed connections (rr: B A B A), then two held open (B A): 5 bytes in, 7 out each.
  const answers = [];
  for (let i = 0; i < 4; i++) answers.push(await ping(vport!));
  assert.deepEqual(answers, ['pong B\n', 'pong A\n', 'pong B\n', 'pong A\n']);
  const held: Held[] = [];
  t.after(() => {
    for (const h of held) h.socket.destroy();
  });
  // Held connections: the real servers wait for a line, so connectRead gets nothing yet; use
  // plain sockets and wait until the director counts them active.
  for (let i = 0; i < 2; i++) {
    const socket = connect({ host: '127.0.0.1', port: vport! });
    socket.on('error', () => undefined);
    held.push({ socket, line: '' });
  }
  for (let i = 0; i < 200; i++) {
    const snap = (await callDaemon(d.socket, 'GET', '/v1/snapshot')).body as DirectorSnapshot;
    if (snap.services[0]!.reals.reduce((n, r) => n + r.activeConns, 0) === 2) break;
    await new Promise((r) => setTimeout(r, 20));
  }

  const ln = await d.adm('-Ln');
  assert.equal(ln.status, 0);
  assert.equal(
    norm(ln.stdout),
    `IP Virtual Server version 1.2.1 (size=4096)
Prot LocalAddress:Port Scheduler Flags
  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
TCP  127.0.0.1:VPORT rr
  -> 127.0.0.1:APORT              Masq    1      1          2         
  -> 127.0.0.1:BPORT              Masq    2      1          2         
FWM  99 wrr persistent 3600 mask 255.255.255.0
  -> 127.0.0.1:CPORT              Route   0      0          0         
`,
  );

  const stats = await d.adm('-Ln --stats');
  assert.equal(
    norm(stats.stdout),
    `IP Virtual Server version 1.2.1 (size=4096)
Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes
  -> RemoteAddress:Port
TCP  127.0.0.1:VPORT                     6        4        4       20       28
  -> 127.0.0.1:APORT                     3        2        2       10       14
  -> 127.0.0.1:BPORT                     3        2        2       10       14
FWM  99                                  0        0        0        0        0
  -> 127.0.0.1:CPORT                     0        0        0        0        0
`,
  );

  const th = await d.adm(['-Ln', '--thresholds', '-t', vip]);
  assert.equal(
    norm(th.stdout),
    `Prot LocalAddress:Port            Uthreshold Lthreshold ActiveConn InActConn 
  -> RemoteAddress:Port
TCP  127.0.0.1:VPORT rr
  -> 127.0.0.1:APORT              0          0          1          2         
  -> 127.0.0.1:BPORT              100        10         1          2         
`,
  );

  // --rate: layout exact, figures normalized (each ` %8s` field: digits, maybe K/M, right-aligned).
  const rate = await d.adm('-Ln --rate');
  const lines = rate.stdout.split('\n');
  const fields = (line: string, start: number) => {
    let out = line.slice(0, start);
    for (let f = 0; f < 5; f++) {
      const cell = line.slice(start + f * 9, start + f * 9 + 9);
      assert.match(cell, /^ +\d+[KMG]?$/, `rate cell '${cell}' in '${line}'`);
      assert.equal(cell.length, 9);
      out += '        #';
    }
    assert.equal(line.length, start + 45, line);
    return out;
  };
  const normRate = lines.map((l) =>
    l.startsWith('TCP') || l.startsWith('FWM') ? fields(l, 33) : l.startsWith('  -> 127') ? fields(l, 33) : l,
  );
  assert.equal(
    norm(normRate.join('\n')),
    `IP Virtual Server version 1.2.1 (size=4096)
Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS
  -> RemoteAddress:Port
TCP  127.0.0.1:VPORT                     #        #        #        #        #
  -> 127.0.0.1:APORT                     #        #        #        #        #
  -> 127.0.0.1:BPORT                     #        #        #        #        #
FWM  99                                  #        #        #        #        #
  -> 127.0.0.1:CPORT                     #        #        #        #        #
`,
  );

  // -Lnc: the closed ones went server FIN (FIN_WAIT) then client FIN (TIME_WAIT, 120 s); the held
  // ones are ESTABLISHED (900 s). Client ports are ephemeral (5 digits): written SPORT.
  const lnc = await d.adm('-Lnc');
  const [title, header, ...rows] = lnc.stdout.trimEnd().split('\n');
  assert.equal(title, 'IPVS connection entries');
  assert.equal(header, 'pro expire state       source             virtual            destination');
  const normRows = rows
    .map((r) => {
      const m = /^TCP (\d\d):(\d\d) {2}(\S+) +127\.0\.0\.1:(\d+) +/.exec(r);
      assert.ok(m, r);
      const left = Number(m[1]) * 60 + Number(m[2]);
      const max = m[3] === 'ESTABLISHED' ? 900 : 120;
      assert.ok(left <= max && left >= max - 30, `${r}: ${left} s left in ${m[3]}`);
      return norm(r.replace(/^TCP \d\d:\d\d/, 'TCP ##:##').replace(`127.0.0.1:${m[4]} `, '127.0.0.1:SPORT '));
    })
    .sort();
  assert.deepEqual(normRows, [
    'TCP ##:##  ESTABLISHED 127.0.0.1:SPORT    127.0.0.1:VPORT    127.0.0.1:APORT',
    'TCP ##:##  ESTABLISHED 127.0.0.1:SPORT    127.0.0.1:VPORT    127.0.0.1:BPORT',
    'TCP ##:##  TIME_WAIT   127.0.0.1:SPORT    127.0.0.1:VPORT    127.0.0.1:APORT',
    'TCP ##:##  TIME_WAIT   127.0.0.1:SPORT    127.0.0.1:VPORT    127.0.0.1:APORT',
    'TCP ##:##  TIME_WAIT   127.0.0.1:SPORT    127.0.0.1:VPORT    127.0.0.1:BPORT',
    'TCP ##:##  TIME_WAIT   127.0.0.1:SPORT    127.0.0.1:VPORT    127.0.0.1:BPORT',
  ]);

  // -Z zeroes the counters (not the connections); the listing says so.
  assert.equal((await d.adm('-Z')).status, 0);
  const z = await d.adm(['-Ln', '--stats', '-t', vip]);
  assert.match(norm(z.stdout), /TCP {2}127\.0\.0\.1:VPORT {21}0 {8}0 {8}0 {8}0 {8}0\n/);
  assert.equal(
    (await d.adm(['-Ln', '-t', vip])).stdout.split('\n')[3]!.slice(33),
    ' Masq    1      1          2         ',
  );
});

test('UDP: datagrams through a UDP service, -Lnc shows UDP entries (300 s) counted inactive', async (t) => {
  const dir = tempDir(t);
  const d = await startDaemon(t, dir, ['--no-state']);
  const echo = async (name: string) => {
    const s = createSocket('udp4');
    s.on('message', (m, rinfo) => s.send(`${name}:${m.toString()}`, rinfo.port, rinfo.address));
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
    t.after(() => new Promise<void>((r) => s.close(() => r())));
    return s.address().port;
  };
  const [ua, ub] = [await echo('A'), await echo('B')];
  const [vport] = await freePorts(1);
  const vip = `127.0.0.1:${vport}`;
  assert.equal(
    (
      await d.adm(
        '-R',
        `-A -u ${vip} -s rr\n-a -u ${vip} -r 127.0.0.1:${ua} -m\n-a -u ${vip} -r 127.0.0.1:${ub} -m\n`,
      )
    ).status,
    0,
  );
  const clients = [];
  const answers: string[] = [];
  for (let i = 0; i < 2; i++) {
    const c = createSocket('udp4');
    t.after(() => new Promise<void>((r) => c.close(() => r())));
    await new Promise<void>((r) => c.bind(0, '127.0.0.1', () => r()));
    clients.push(c);
    for (let k = 0; k < 2; k++) {
      const reply = new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no UDP reply within 5 s')), 5000);
        c.once('message', (m) => {
          clearTimeout(timer);
          resolve(m.toString());
        });
      });
      c.send(`hello${k}`, vport!, '127.0.0.1');
      answers.push(await reply);
    }
  }
  // One session per client: rr gives client 1 to B (list head), client 2 to A; both datagrams of a
  // client go to the same real server.
  assert.deepEqual(answers, ['B:hello0', 'B:hello1', 'A:hello0', 'A:hello1']);
  const lnc = await d.adm('-Lnc');
  const rows = lnc.stdout
    .split('\n')
    .slice(2)
    .filter((l) => l !== '')
    .map((l) => {
      const m = /^UDP (\d\d):(\d\d) {2}UDP {9}127\.0\.0\.1:(\d+) +(\S+) +(\S+)$/.exec(l);
      assert.ok(m, l);
      const left = Number(m[1]) * 60 + Number(m[2]);
      assert.ok(left <= 300 && left >= 270, l);
      return `${m[4]} ${m[5]}`
        .replaceAll(`:${vport}`, ':VPORT')
        .replace(`:${ua}`, ':APORT')
        .replace(`:${ub}`, ':BPORT');
    })
    .sort();
  assert.deepEqual(rows, ['127.0.0.1:VPORT 127.0.0.1:APORT', '127.0.0.1:VPORT 127.0.0.1:BPORT']);
  const ln = await d.adm(['-Ln', '-u', vip]);
  assert.match(ln.stdout, /Masq {4}1 {6}0 {10}1 {9}\n.*Masq {4}1 {6}0 {10}1 {9}\n$/s);
  const stats = await d.adm(['-Ln', '--stats', '-u', vip]);
  assert.match(stats.stdout, new RegExp(`UDP  127\\.0\\.0\\.1:${vport} +2 +4 +4 +24 +32\\n`));
});

test('IPv6: a TCP service on [::1] through tsvs run, listed as ipvsadm does (never truncated)', async (t) => {
  const dir = tempDir(t);
  const d = await startDaemon(t, dir, ['--no-state']);
  const names = ['A', 'B'];
  const ports: number[] = [];
  for (const name of names) {
    const s = createServer((c) => {
      c.on('error', () => undefined);
      c.end(`${name}\n`);
    });
    await new Promise<void>((r) => s.listen(0, '::1', () => r()));
    t.after(() => new Promise<void>((r) => s.close(() => r())));
    ports.push((s.address() as { port: number }).port);
  }
  const [vport] = await freePorts(1);
  const vip = `[::1]:${vport}`;
  const r = await d.adm(
    '-R',
    `-A -t ${vip} -s rr\n-a -t ${vip} -r [::1]:${ports[0]} -m\n-a -t ${vip} -r [::1]:${ports[1]} -m -w 2\n`,
  );
  assert.equal(r.status, 0, r.stderr);
  const got: string[] = [];
  for (let i = 0; i < 4; i++) {
    got.push(
      await new Promise<string>((resolve, reject) => {
        const s = connect({ host: '::1', port: vport! });
        let text = '';
        s.setEncoding('utf8');
        s.on('data', (c: string) => (text += c));
        s.on('close', () => resolve(text.trim()));
        s.on('error', reject);
      }),
    );
  }
  assert.deepEqual(got, ['B', 'A', 'B', 'A']);
  const ln = (await d.adm('-Ln')).stdout
    .replaceAll(`:${vport}`, ':VPORT')
    .replace(`:${ports[0]}`, ':APORT')
    .replace(`:${ports[1]}`, ':BPORT');
  const [ra, rb] = ports[0]! < ports[1]! ? ['APORT', 'BPORT'] : ['BPORT', 'APORT'];
  const wa = ra === 'APORT' ? '1' : '2';
  const wb = ra === 'APORT' ? '2' : '1';
  assert.equal(
    ln,
    `IP Virtual Server version 1.2.1 (size=4096)
Prot LocalAddress:Port Scheduler Flags
  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
TCP  [::1]:VPORT rr
  -> [::1]:${ra}                  Masq    ${wa}      0          2         
  -> [::1]:${rb}                  Masq    ${wb}      0          2         
`,
  );
});
