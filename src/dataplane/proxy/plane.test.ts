// Proxy plane: UDP sessions and their expiry, firewall-mark listeners sharing persistence, PROXY
// protocol v1/v2 bytes as the real server sees them, IPv6. Loopback only, all closed in finally.

import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { test } from 'node:test';
import { emptyPlaneConfig } from '../plane.js';
import { proxyV1, proxyV2 } from './proxy-protocol.js';
import { freePort, freeUdpPort, planeFixture, talk, tcpBackend, until } from './test-support.js';

async function udpEcho(name: string): Promise<{ port: number; close: () => Promise<void> }> {
  const s = dgram.createSocket('udp4');
  s.on('message', (m, r) => s.send(Buffer.concat([Buffer.from(`${name}:`), m]), r.port, r.address));
  await new Promise<void>((res) => s.bind(0, '127.0.0.1', () => res()));
  return { port: s.address().port, close: () => new Promise<void>((res) => s.close(() => res())) };
}

test('UDP: a session per client, replies from the service address, counters, expiry after the UDP timeout', async () => {
  const a = await udpEcho('A');
  const b = await udpEcho('B');
  const vport = await freeUdpPort();
  const f = await planeFixture(
    [
      `-A -u 127.0.0.1:${vport} -s rr`,
      `-a -u 127.0.0.1:${vport} -r 127.0.0.1:${a.port} -m`,
      `-a -u 127.0.0.1:${vport} -r 127.0.0.1:${b.port} -m`,
      '',
    ].join('\n'),
    undefined,
    { sweepMs: 10 },
  );
  const clients: dgram.Socket[] = [];
  try {
    assert.deepEqual(f.problems, []);
    assert.deepEqual(f.plane.listening(), [`UDP 127.0.0.1:${vport}`]);
    f.ipvsadm('--set 0 0 30');
    const ask = (c: dgram.Socket, text: string) =>
      new Promise<{ msg: string; from: string }>((res, rej) => {
        const t = setTimeout(() => rej(new Error('no UDP reply')), 2000);
        c.once('message', (m, r) => {
          clearTimeout(t);
          res({ msg: m.toString(), from: `${r.address}:${r.port}` });
        });
        c.send(text, vport, '127.0.0.1');
      });
    const answers: string[] = [];
    for (let i = 0; i < 2; i++) {
      const c = dgram.createSocket('udp4');
      clients.push(c);
      await new Promise<void>((res) => c.bind(0, '127.0.0.1', () => res()));
      for (let k = 0; k < 3; k++) {
        const r = await ask(c, `q${k}`);
        assert.equal(r.from, `127.0.0.1:${vport}`, 'the reply comes from the virtual service');
        answers.push(r.msg);
      }
    }
    // One session per client: its datagrams stay with one real; rr gives the two clients two reals.
    assert.deepEqual(answers, ['B:q0', 'B:q1', 'B:q2', 'A:q0', 'A:q1', 'A:q2']);
    assert.equal(f.plane.udpSessionCount, 2);
    const svc = f.director.snapshot().services[0]!;
    assert.equal(svc.stats.conns, 2);
    assert.equal(svc.stats.inpkts, 6);
    assert.equal(svc.stats.outpkts, 6);
    assert.equal(svc.stats.inbytes, 12);
    assert.equal(svc.stats.outbytes, 24);
    const rows = f.director.connections(f.clock.t);
    assert.deepEqual(
      rows.map((r) => [r.protocol, r.state, r.expireSeconds]),
      [
        ['UDP', 'UDP', 30],
        ['UDP', 'UDP', 30],
      ],
    );
    // 31 s of silence: the sessions end; the director's entries expire at its tick.
    f.clock.t += 31_000;
    await until(() => f.plane.udpSessionCount === 0);
    f.director.tick(f.clock.t);
    assert.equal(f.director.connections(f.clock.t).length, 0);
    // A new datagram makes a new session (and a new entry).
    const r = await ask(clients[0]!, 'again');
    assert.match(r.msg, /^[AB]:again$/);
    assert.equal(f.director.snapshot().services[0]!.stats.conns, 3);
  } finally {
    for (const c of clients) c.close();
    await f.close();
    await a.close();
    await b.close();
  }
});

test('fwmark: two listeners feed one service and share its persistence; the real port 0 keeps the port', async () => {
  const p1 = await freePort();
  const p2 = await freePort();
  const servers = [];
  for (const host of ['127.0.0.2', '127.0.0.3'])
    for (const port of [p1, p2]) {
      const s = net.createServer((c) => {
        c.on('error', () => {});
        c.end(`${host}:${port}\n`);
      });
      await new Promise<void>((res) => s.listen(port, host, () => res()));
      servers.push(s);
    }
  const config = emptyPlaneConfig();
  config.fwmarks.set(7, [
    { protocol: 'TCP', address: '127.0.0.1', port: p1 },
    { protocol: 'TCP', address: '127.0.0.1', port: p2 },
  ]);
  const f = await planeFixture(
    ['-A -f 7 -s rr -p 60', '-a -f 7 -r 127.0.0.2 -m', '-a -f 7 -r 127.0.0.3 -m', ''].join('\n'),
    config,
  );
  try {
    assert.deepEqual(f.problems, []);
    assert.deepEqual(
      f.plane.listening(),
      [`FWM 7 (TCP 127.0.0.1:${p1})`, `FWM 7 (TCP 127.0.0.1:${p2})`].sort(),
    );
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await talk(i % 2 === 0 ? p1 : p2);
      assert.equal(r.error, null);
      seen.push(r.data.toString().trim());
    }
    const host = seen[0]!.split(':')[0]!;
    assert.deepEqual(seen, [`${host}:${p1}`, `${host}:${p2}`, `${host}:${p1}`, `${host}:${p2}`]);
    await until(() => f.plane.relayCount === 0);
    const svc = f.director.snapshot().services[0]!;
    assert.equal(svc.protocol, 'FWM');
    assert.equal(svc.stats.conns, 4);
    const rows = f.director.connections(f.clock.t);
    assert.equal(rows.filter((r) => r.template).length, 1, 'one persistence template');
    assert.deepEqual(
      rows
        .filter((r) => !r.template)
        .map((r) => r.virtualPort)
        .sort(),
      [p1, p1, p2, p2].sort(),
    );
  } finally {
    await f.close();
    for (const s of servers) await new Promise<void>((res) => s.close(() => res()));
  }
});

for (const engine of ['raw', 'net'] as const)
  test(`[${engine}] PROXY protocol v1 and v2: the real server sees the header, then the client bytes`, async () => {
    const b = await tcpBackend('P', { greet: false, halfClose: true });
    const b6 = await tcpBackend('P6', { greet: false, halfClose: true, host: '::1' });
    const v4 = await freePort();
    const v6 = await freePort('::1');
    const config = emptyPlaneConfig();
    config.proxyProtocol.set(`TCP 127.0.0.1:${v4}`, 1);
    config.proxyProtocol.set(`TCP [::1]:${v6}`, 2);
    const f = await planeFixture(
      [
        `-A -t 127.0.0.1:${v4} -s rr`,
        `-a -t 127.0.0.1:${v4} -r 127.0.0.1:${b.port} -m`,
        `-A -t [::1]:${v6} -s rr`,
        `-a -t [::1]:${v6} -r [::1]:${b6.port} -m`,
        '',
      ].join('\n'),
      config,
      { engine },
    );
    try {
      assert.deepEqual(f.problems, []);
      const r1 = await talk(v4, { send: 'hi', end: true });
      assert.equal(
        r1.data.toString(),
        `got ${`PROXY TCP4 127.0.0.1 127.0.0.1 ${r1.localPort} ${v4}\r\n`.length + 2} bytes\n`,
      );
      assert.equal(
        Buffer.concat(b.received[0]!).toString(),
        `PROXY TCP4 127.0.0.1 127.0.0.1 ${r1.localPort} ${v4}\r\nhi`,
      );
      const r2 = await talk(v6, { host: '::1', send: 'yo', end: true });
      assert.equal(r2.error, null);
      const got = Buffer.concat(b6.received[0]!);
      const expect = Buffer.concat([
        Buffer.from('0d0a0d0a000d0a515549540a', 'hex'),
        Buffer.from([0x21, 0x21, 0, 36]),
        Buffer.from('00000000000000000000000000000001', 'hex'),
        Buffer.from('00000000000000000000000000000001', 'hex'),
        Buffer.from([r2.localPort >> 8, r2.localPort & 255, v6 >> 8, v6 & 255]),
        Buffer.from('yo'),
      ]);
      assert.equal(got.toString('hex'), expect.toString('hex'));
      const rows = f.director.connections(f.clock.t);
      assert.ok(rows.some((r) => r.family === 6 && r.clientAddress === '::1' && r.destPort === b6.port));
    } finally {
      await f.close();
      await b.close();
      await b6.close();
    }
  });

test('PROXY headers: IPv4 v2 bytes and mixed families', () => {
  assert.equal(
    proxyV2('192.0.2.1', 1234, '198.51.100.7', 80).toString('hex'),
    '0d0a0d0a000d0a515549540a' + '2111000c' + 'c0000201' + 'c6336407' + '04d2' + '0050',
  );
  assert.equal(proxyV2('192.0.2.1', 53, '198.51.100.7', 53, 'UDP').subarray(12, 14).toString('hex'), '2112');
  assert.equal(proxyV2('192.0.2.1', 1, '::1', 2).toString('hex'), '0d0a0d0a000d0a515549540a' + '20000000');
  assert.equal(
    proxyV1('::ffff:192.0.2.1', 5, '192.0.2.9', 6).toString(),
    'PROXY TCP4 192.0.2.1 192.0.2.9 5 6\r\n',
  );
  assert.equal(
    proxyV1('2001:db8::1', 5, '2001:db8::2', 443).toString(),
    'PROXY TCP6 2001:db8::1 2001:db8::2 5 443\r\n',
  );
  assert.equal(proxyV1('2001:db8::1', 5, '192.0.2.9', 6).toString(), 'PROXY UNKNOWN\r\n');
});

test('UDP one-packet scheduling (-o): every datagram scheduled afresh, counted, no entry kept', async () => {
  const a = await udpEcho('A');
  const b = await udpEcho('B');
  const vport = await freeUdpPort();
  const f = await planeFixture(
    [
      `-A -u 127.0.0.1:${vport} -s rr -o`,
      `-a -u 127.0.0.1:${vport} -r 127.0.0.1:${a.port} -m`,
      `-a -u 127.0.0.1:${vport} -r 127.0.0.1:${b.port} -m`,
      '',
    ].join('\n'),
  );
  const c = dgram.createSocket('udp4');
  try {
    await new Promise<void>((res) => c.bind(0, '127.0.0.1', () => res()));
    const got: string[] = [];
    for (let i = 0; i < 4; i++) {
      const reply = new Promise<string>((res, rej) => {
        const t = setTimeout(() => rej(new Error('no UDP reply')), 2000);
        c.once('message', (m) => {
          clearTimeout(t);
          res(m.toString());
        });
      });
      c.send(`d${i}`, vport, '127.0.0.1');
      got.push(await reply);
    }
    assert.deepEqual(got, ['B:d0', 'A:d1', 'B:d2', 'A:d3']);
    const svc = f.director.snapshot().services[0]!;
    assert.equal(svc.stats.conns, 4);
    assert.equal(svc.stats.inpkts, 4);
    assert.equal(svc.stats.outpkts, 4);
    assert.equal(f.director.connections(f.clock.t).length, 0);
  } finally {
    c.close();
    await f.close();
    await a.close();
    await b.close();
  }
});

test('sync() calls that overlap open each listener once; close(drainMs) waits for open relays, then ends them', async () => {
  const b = await tcpBackend('D', { greet: false });
  const v1 = await freePort();
  const v2 = await freePort();
  const f = await planeFixture(
    `-A -t 127.0.0.1:${v1} -s rr\n-a -t 127.0.0.1:${v1} -r 127.0.0.1:${b.port} -m\n`,
  );
  try {
    f.ipvsadm(`-A -t 127.0.0.1:${v2} -s rr`);
    f.ipvsadm(`-a -t 127.0.0.1:${v2} -r 127.0.0.1:${b.port} -m`);
    const [p1, p2] = await Promise.all([f.plane.sync(), f.plane.sync()]);
    assert.deepEqual([p1, p2], [[], []]);
    assert.deepEqual(f.plane.listening(), [`TCP 127.0.0.1:${v1}`, `TCP 127.0.0.1:${v2}`].sort());
    const s = net.connect({ host: '127.0.0.1', port: v2 });
    s.on('error', () => {});
    await new Promise<void>((res) => s.once('connect', () => res()));
    const echoed = new Promise<string>((res) => s.once('data', (c: Buffer) => res(c.toString())));
    s.write('x');
    assert.equal(await echoed, 'x');
    const closed = new Promise<void>((res) => s.once('close', () => res()));
    const t0 = Date.now();
    await f.plane.close(150);
    assert.ok(Date.now() - t0 >= 140, 'waited for the open relay');
    await closed;
    assert.equal(f.plane.relayCount, 0);
    assert.deepEqual(f.plane.listening(), []);
    assert.equal((await talk(v1)).error, 'ECONNREFUSED');
  } finally {
    await f.close();
    await b.close();
  }
});
