// Proxy plane, TCP: scheduling order, port mapping, half-close, bulk integrity, redispatch,
// no destination, counters and states. Loopback sockets only; every server closed in finally.

import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import { test } from 'node:test';
import type { ProxyTuning } from './index.js';
import { setUpgradeReads } from './raw-relay.js';
import { type Backend, freePort, planeFixture, talk, tcpBackend, until } from './test-support.js';

// Every test runs on both TCP engines: raw libuv handles (the default) and net.Socket.
// 'raw+buffers' upgrades every handle to its own read buffer at once (normally after 8 reads).
for (const variant of ['raw', 'raw+buffers', 'net'] as const) {
  const engine = variant === 'net' ? 'net' : 'raw';
  const fixture = (rules: string, tuning: Partial<ProxyTuning> = {}) => {
    setUpgradeReads(variant === 'raw+buffers' ? 0 : 8);
    return planeFixture(rules, undefined, { engine, ...tuning });
  };

  async function closeAll(bs: Backend[]): Promise<void> {
    await Promise.all(bs.map((b) => b.close()));
  }

  /** An rr service over a live backend 'L' and a port where nothing listens (connect refused). */
  async function liveAndDead(opts: { halfClose?: boolean } = {}) {
    const live = await tcpBackend('L', opts);
    const deadPort = await freePort();
    const vport = await freePort();
    const f = await fixture(
      [
        `-A -t 127.0.0.1:${vport} -s rr`,
        `-a -t 127.0.0.1:${vport} -r 127.0.0.1:${live.port} -m`,
        `-a -t 127.0.0.1:${vport} -r 127.0.0.1:${deadPort} -m`,
        '',
      ].join('\n'),
    );
    return { live, deadPort, vport, f };
  }

  test(`[${variant}] wrr 3/2/1: the kernel sequence across new connections, port mapping, stats and states`, async () => {
    const bs = [await tcpBackend('A'), await tcpBackend('B'), await tcpBackend('C')];
    const vport = await freePort();
    const f = await fixture(
      [
        `-A -t 127.0.0.1:${vport} -s wrr`,
        `-a -t 127.0.0.1:${vport} -r 127.0.0.1:${bs[0]!.port} -m -w 3`,
        `-a -t 127.0.0.1:${vport} -r 127.0.0.1:${bs[1]!.port} -m -w 2`,
        `-a -t 127.0.0.1:${vport} -r 127.0.0.1:${bs[2]!.port} -m -w 1`,
        '',
      ].join('\n'),
    );
    try {
      assert.deepEqual(f.problems, []);
      assert.equal(f.plane.engine, engine);
      assert.deepEqual(f.plane.listening(), [`TCP 127.0.0.1:${vport}`]);
      const seq: string[] = [];
      for (let i = 0; i < 12; i++) {
        const r = await talk(vport, { send: 'ping', end: true });
        assert.equal(r.error, null);
        assert.ok(r.ended, 'the server FIN reaches the client');
        const text = r.data.toString();
        assert.match(text, /^[ABC]\nping$/);
        seq.push(text[0]!);
      }
      // Reals go to the head of the list (C B A); wrr starts with cw = 0 as the kernel does.
      assert.equal(seq.join(' '), 'C B A A B A C B A A B A');
      await until(() => f.plane.relayCount === 0);
      const snap = f.director.snapshot();
      const svc = snap.services[0]!;
      assert.equal(svc.stats.conns, 12);
      assert.equal(svc.stats.inbytes, 12 * 4);
      assert.equal(svc.stats.outbytes, 12 * 6);
      assert.ok(svc.stats.inpkts >= 12 && svc.stats.inpkts <= 48, `inpkts ${svc.stats.inpkts}`);
      assert.ok(svc.stats.outpkts >= 12 && svc.stats.outpkts <= 72, `outpkts ${svc.stats.outpkts}`);
      const byName = new Map(svc.reals.map((r) => [r.port, r]));
      assert.equal(byName.get(bs[0]!.port)!.stats.conns, 6);
      assert.equal(byName.get(bs[1]!.port)!.stats.conns, 4);
      assert.equal(byName.get(bs[2]!.port)!.stats.conns, 2);
      for (const r of svc.reals) assert.equal(r.activeConns, 0);
      assert.equal(
        svc.reals.reduce((n, r) => n + r.inactConns, 0),
        12,
      );
      const rows = f.director.connections(f.clock.t);
      assert.equal(rows.length, 12);
      for (const row of rows) {
        assert.equal(row.protocol, 'TCP');
        assert.equal(row.virtualPort, vport);
        assert.ok(['TIME_WAIT', 'CLOSE', 'CLOSE_WAIT', 'FIN_WAIT'].includes(row.state), row.state);
        assert.ok(bs.some((b) => b.port === row.destPort));
      }
    } finally {
      await f.close();
      await closeAll(bs);
    }
  });

  test(`[${variant}] an open connection is ESTABLISHED in -Lnc and active; half-close still gets the reply`, async () => {
    const b = await tcpBackend('H', { halfClose: true, greet: false });
    const vport = await freePort();
    const f = await fixture(
      `-A -t 127.0.0.1:${vport} -s rr\n-a -t 127.0.0.1:${vport} -r 127.0.0.1:${b.port} -m\n`,
    );
    try {
      // Hold one connection open and look at the table.
      const s = net.connect({ host: '127.0.0.1', port: vport, allowHalfOpen: true });
      await new Promise<void>((res) => s.once('connect', () => res()));
      s.write('abc');
      await until(() => b.received.length === 1 && b.received[0]!.length > 0);
      let rows = f.director.connections(f.clock.t);
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.state, 'ESTABLISHED');
      assert.equal(rows[0]!.clientPort, s.localPort);
      assert.equal(f.director.snapshot().services[0]!.reals[0]!.activeConns, 1);
      // Half-close: the client ends its side; the server answers after seeing the FIN.
      const got: Buffer[] = [];
      s.on('data', (c: Buffer) => got.push(c));
      const ended = new Promise<void>((res) => s.once('end', () => res()));
      s.end('defg');
      await ended;
      assert.equal(Buffer.concat(got).toString(), 'got 7 bytes\n');
      s.destroy();
      await until(() => f.plane.relayCount === 0);
      rows = f.director.connections(f.clock.t);
      assert.equal(rows.length, 1);
      assert.notEqual(rows[0]!.state, 'ESTABLISHED');
      assert.equal(f.director.snapshot().services[0]!.reals[0]!.activeConns, 0);
    } finally {
      await f.close();
      await b.close();
    }
  });

  test(`[${variant}] a few MB both ways keep their bytes (backpressure)`, async () => {
    const b = await tcpBackend('E', { greet: false });
    const vport = await freePort();
    const f = await fixture(
      `-A -t 127.0.0.1:${vport} -s rr\n-a -t 127.0.0.1:${vport} -r 127.0.0.1:${b.port} -m\n`,
    );
    try {
      const payload = randomBytes(6 * 1024 * 1024);
      // The client writes everything at once and reads slowly at first: both directions fill up.
      const s = net.connect({ host: '127.0.0.1', port: vport, allowHalfOpen: true });
      const h = createHash('sha256');
      let n = 0;
      const done = new Promise<void>((res, rej) => {
        s.on('data', (c: Buffer) => {
          h.update(c);
          n += c.length;
          if (n === payload.length) res();
        });
        s.on('error', rej);
        setTimeout(() => rej(new Error('bulk transfer did not finish')), 15000).unref();
      });
      s.pause();
      s.on('connect', () => {
        s.write(payload);
        setTimeout(() => s.resume(), 200);
      });
      await done;
      assert.equal(h.digest('hex'), createHash('sha256').update(payload).digest('hex'));
      s.destroy();
      await until(() => f.plane.relayCount === 0);
      const st = f.director.snapshot().services[0]!.stats;
      assert.equal(st.inbytes, payload.length);
      assert.equal(st.outbytes, payload.length);
    } finally {
      await f.close();
      await b.close();
    }
  });

  test(`[${variant}] connect failure redispatches to a live server; the dead one is tried again later`, async () => {
    const { live, deadPort, vport, f } = await liveAndDead();
    try {
      for (let i = 0; i < 4; i++) {
        const r = await talk(vport, { send: 'x', end: true });
        assert.equal(r.error, null);
        assert.equal(r.data.toString(), 'L\nx');
      }
      await until(() => f.plane.relayCount === 0);
      const svc = f.director.snapshot().services[0]!;
      const dead = svc.reals.find((r) => r.port === deadPort)!;
      const ok = svc.reals.find((r) => r.port === live.port)!;
      // rr alternates: every other client met the dead server first and was sent on.
      // rr over two: each client takes two picks, the dead server's first, then the live one's.
      assert.equal(ok.stats.conns, 4);
      assert.equal(dead.stats.conns, 4);
      assert.equal(dead.activeConns + dead.inactConns, 0, 'failed entries are freed at once');
      assert.equal(live.received.length, 4);
    } finally {
      await f.close();
      await live.close();
    }
  });

  test(`[${variant}] data and FIN sent before any real accepted (more than one read's worth) survive a redispatch`, async () => {
    const { live, vport, f } = await liveAndDead({ halfClose: true });
    try {
      const payload = randomBytes(300 * 1024);
      for (let i = 0; i < 2; i++) {
        const r = await talk(vport, { send: payload, end: true });
        assert.equal(r.error, null);
        assert.ok(r.ended);
        assert.equal(r.data.toString(), `L\ngot ${payload.length} bytes\n`);
        const got = Buffer.concat(live.received[i]!);
        assert.equal(
          createHash('sha256').update(got).digest('hex'),
          createHash('sha256').update(payload).digest('hex'),
        );
      }
      await until(() => f.plane.relayCount === 0);
      const svc = f.director.snapshot().services[0]!;
      assert.equal(svc.stats.inbytes, 2 * payload.length);
      const ok = svc.reals.find((r) => r.port === live.port)!;
      assert.equal(ok.stats.conns, 2);
      assert.equal(ok.activeConns, 0);
    } finally {
      await f.close();
      await live.close();
    }
  });

  test(`[${variant}] every real at weight 0 (and an unknown server): the client is reset at once, nothing counted`, async () => {
    const b = await tcpBackend('Z');
    const vport = await freePort();
    const f = await fixture(
      `-A -t 127.0.0.1:${vport} -s wrr\n-a -t 127.0.0.1:${vport} -r 127.0.0.1:${b.port} -m -w 0\n`,
    );
    try {
      const r = await talk(vport, { send: 'x' });
      assert.ok(r.error === 'ECONNRESET' || r.ended, `closed at once (${r.error})`);
      assert.equal(r.data.length, 0);
      assert.equal(b.received.length, 0);
      const svc = f.director.snapshot().services[0]!;
      assert.equal(svc.stats.conns, 0);
      assert.equal(f.director.connections(f.clock.t).length, 0);
    } finally {
      await f.close();
      await b.close();
    }
  });

  test(`[${variant}] sync(): a deleted service stops listening (its open connection finishes); EADDRINUSE reported`, async () => {
    const b = await tcpBackend('S', { greet: false });
    const vport = await freePort();
    const busy = net.createServer();
    await new Promise<void>((res) => busy.listen(0, '127.0.0.1', () => res()));
    const busyPort = (busy.address() as net.AddressInfo).port;
    const f = await fixture(
      [
        `-A -t 127.0.0.1:${vport} -s rr`,
        `-a -t 127.0.0.1:${vport} -r 127.0.0.1:${b.port} -m`,
        `-A -t 127.0.0.1:${busyPort} -s rr`,
        `-a -t 127.0.0.1:${busyPort} -r 127.0.0.1:${b.port} -m`,
        '',
      ].join('\n'),
    );
    try {
      assert.deepEqual(f.problems, [
        `TCP 127.0.0.1:${busyPort}: cannot listen: address already in use (EADDRINUSE)`,
      ]);
      assert.deepEqual(f.plane.listening(), [`TCP 127.0.0.1:${vport}`]);
      const s = net.connect({ host: '127.0.0.1', port: vport });
      s.on('error', () => {});
      await new Promise<void>((res) => s.once('connect', () => res()));
      const first = new Promise<string>((res) => s.once('data', (c: Buffer) => res(c.toString())));
      s.write('one');
      assert.equal(await first, 'one');
      f.ipvsadm(`-D -t 127.0.0.1:${vport}`);
      assert.deepEqual(await f.plane.sync(), [
        `TCP 127.0.0.1:${busyPort}: cannot listen: address already in use (EADDRINUSE)`,
      ]);
      assert.deepEqual(f.plane.listening(), []);
      // The open connection still works.
      const echoed = new Promise<string>((res) => s.once('data', (c: Buffer) => res(c.toString())));
      s.write('two');
      assert.equal(await echoed, 'two');
      s.destroy();
      const r = await talk(vport, { send: 'x' });
      assert.equal(r.error, 'ECONNREFUSED');
      // Unchanged listeners are left alone across syncs.
      f.ipvsadm(`-A -t 127.0.0.1:${vport} -s rr`);
      assert.equal((await f.plane.sync()).length, 1);
      assert.deepEqual(f.plane.listening(), [`TCP 127.0.0.1:${vport}`]);
    } finally {
      await f.close();
      await b.close();
      await new Promise<void>((res) => busy.close(() => res()));
    }
  });

  test(`[${variant}] idle timeout from the director (tcp) closes a silent relay; expiry of the entry does not break a relay`, async () => {
    const b = await tcpBackend('I', { greet: false });
    const vport = await freePort();
    const f = await fixture(
      `-A -t 127.0.0.1:${vport} -s rr\n-a -t 127.0.0.1:${vport} -r 127.0.0.1:${b.port} -m\n`,
      { sweepMs: 10 },
    );
    try {
      f.ipvsadm('--set 5 3 0');
      const s = net.connect({ host: '127.0.0.1', port: vport });
      s.on('error', () => {});
      await new Promise<void>((res) => s.once('connect', () => res()));
      const echo = () => new Promise<string>((res) => s.once('data', (c: Buffer) => res(c.toString())));
      let p = echo();
      s.write('a');
      assert.equal(await p, 'a');
      // 4 s of silence: under the 5 s tcp timeout, still open.
      f.clock.t += 4000;
      f.director.tick(f.clock.t);
      await new Promise((r) => setTimeout(r, 40));
      assert.equal(f.plane.relayCount, 1);
      p = echo();
      s.write('b');
      assert.equal(await p, 'b');
      // The director drops the entry (e.g. a shorter timeout set meanwhile): the relay goes on.
      const cid = f.director.connections(f.clock.t)[0]!.id;
      f.director.expireNow(cid, f.clock.t);
      f.plane.connExpired(cid);
      p = echo();
      s.write('c');
      assert.equal(await p, 'c');
      // 6 s of silence: past the tcp timeout, the plane closes it.
      const closed = new Promise<void>((res) => s.once('close', () => res()));
      f.clock.t += 6000;
      await closed;
      await until(() => f.plane.relayCount === 0);
    } finally {
      await f.close();
      await b.close();
    }
  });
}
