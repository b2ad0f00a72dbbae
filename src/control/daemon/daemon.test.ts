// The daemon through its control socket, with a recording plane: ipvsadm over HTTP, bad requests,
// the state file (atomic save, restore, corrupt file kept aside), --rules all-or-nothing, reload as
// a difference (unchanged services keep their connections), one daemon per socket.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { DataPlane } from '../../dataplane/plane.js';
import { isTsvsError } from '../../errors.js';
import { callDaemon, remoteIpvsadm } from '../client.js';
import { Daemon, type DaemonOptions } from './daemon.js';
import { createLog } from './log.js';

interface Recording extends DataPlane {
  syncs: number;
  closed: number;
}

function recordingPlane(): { plane: Recording; factory: DaemonOptions['plane'] } {
  const plane: Recording = {
    syncs: 0,
    closed: 0,
    async sync() {
      this.syncs++;
      return [];
    },
    async close(ms: number) {
      this.closed = ms;
    },
  };
  return { plane, factory: () => plane };
}

function setup(t: { after: (fn: () => unknown) => void }) {
  const dir = mkdtempSync(join(tmpdir(), 'tsvs-daemon-'));
  const daemons: Daemon[] = [];
  const events: { event: string; fields: Record<string, unknown> }[] = [];
  t.after(async () => {
    for (const d of daemons) await d.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const start = async (extra: Partial<DaemonOptions> = {}) => {
    const d = await Daemon.start({
      socket: join(dir, 'tsvs.sock'),
      statePath: join(dir, 'state'),
      plane: recordingPlane().factory,
      planeName: 'test',
      log: (event, fields) => events.push({ event, fields }),
      drainMs: 10,
      ...extra,
    });
    daemons.push(d);
    return d;
  };
  const stop = async (d: Daemon) => {
    await d.stop();
    daemons.splice(daemons.indexOf(d), 1);
  };
  const adm = (line: string, stdin?: string) => {
    const req: { argv: string[]; stdin?: string } = { argv: line === '' ? [] : line.split(' ') };
    if (stdin !== undefined) req.stdin = stdin;
    return remoteIpvsadm(join(dir, 'tsvs.sock'), req);
  };
  return { dir, start, stop, adm, events, socket: join(dir, 'tsvs.sock'), state: join(dir, 'state') };
}

function rawPost(socket: string, path: string, body: string): Promise<{ code: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: socket, method: 'POST', path }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('ipvsadm over the socket: rules, listing, refusals with ipvsadm statuses; socket mode 0600', async (t) => {
  const s = setup(t);
  const d = await s.start();
  assert.equal(statSync(s.socket).mode & 0o777, 0o600);
  assert.equal((await s.adm('-A -t 192.168.229.128:80 -s wlc -p 3')).status, 0);
  assert.equal((await s.adm('-a -t 192.168.229.128:80 -r 192.168.31.129:80 -m -w 1')).status, 0);
  assert.equal((await s.adm('-a -t 192.168.229.128:80 -r 192.168.31.130:80 -m -w 1')).status, 0);
  const ln = await s.adm('-ln');
  assert.equal(
    ln.stdout,
    [
      'IP Virtual Server version 1.2.1 (size=4096)',
      'Prot LocalAddress:Port Scheduler Flags',
      '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
      'TCP  192.168.229.128:80 wlc persistent 3',
      '  -> 192.168.31.129:80            Masq    1      0          0         ',
      '  -> 192.168.31.130:80            Masq    1      0          0         ',
      '',
    ].join('\n'),
  );
  assert.deepEqual(await s.adm('-A -t 192.168.229.128:80 -s wlc'), {
    stdout: '',
    stderr: 'Service already exists\n',
    status: 255,
  });
  assert.deepEqual(await s.adm('-A -t 192.168.229.128:80 -s nosuch'), {
    stdout: '',
    stderr: 'Service already exists\n',
    status: 255,
  });
  assert.deepEqual(await s.adm('-A -t 10.1.1.1:80 -s nosuch'), {
    stdout: '',
    stderr: 'Scheduler or persistence engine not found\n',
    status: 255,
  });
  assert.deepEqual(await s.adm('-a -t 10.9.9.9:80 -r 10.0.0.1 -w 70000'), {
    stdout: '',
    stderr: 'illegal weight specified\n',
    status: 2,
  });
  assert.deepEqual(await s.adm('-d -t 10.9.9.9:80 -r 10.0.0.1'), {
    stdout: '',
    stderr: 'Service not defined\n',
    status: 255,
  });
  assert.equal(
    (await s.adm('-A -t 300.1.1.1:80')).stderr,
    'illegal virtual server address[:port] specified\n',
  );
  // Nothing half-applied: the refusals left the three rules alone.
  assert.equal((await s.adm('-ln')).stdout, ln.stdout);
  assert.equal(d.director.snapshot().services.length, 1);
});

test('bad requests get 400/404/405 and the daemon goes on', async (t) => {
  const s = setup(t);
  await s.start();
  const bad = await rawPost(s.socket, '/v1/ipvsadm', '{not json');
  assert.equal(bad.code, 400);
  assert.match(JSON.parse(bad.body).error, /bad JSON/);
  assert.equal((await rawPost(s.socket, '/v1/ipvsadm', '{"argv": [1]}')).code, 400);
  assert.equal((await rawPost(s.socket, '/v1/ipvsadm', '[]')).code, 400);
  assert.equal((await rawPost(s.socket, '/v1/nothing', '{}')).code, 404);
  assert.equal((await rawPost(s.socket, '/v1/health', '{}')).code, 405);
  const h = await callDaemon(s.socket, 'GET', '/v1/health');
  assert.equal(h.code, 200);
  assert.equal((h.body as { ok: boolean }).ok, true);
  assert.equal((await s.adm('-A -t 10.0.0.1:80')).status, 0);
  const snap = await callDaemon(s.socket, 'GET', '/v1/snapshot');
  assert.equal((snap.body as { services: unknown[] }).services.length, 1);
});

test('the state file follows every change and a restart restores it (order, thresholds, timeouts)', async (t) => {
  const s = setup(t);
  const d1 = await s.start();
  await s.adm('-A -t 10.0.0.1:80 -s rr');
  await s.adm('-a -t 10.0.0.1:80 -r 10.0.0.3:80 -m');
  await s.adm('-a -t 10.0.0.1:80 -r 10.0.0.2:80 -m -w 2 -x 100 -y 10');
  await s.adm('-A -f 99 -s rr -p');
  await s.adm('--set 600 60 200');
  const text = readFileSync(s.state, 'utf8');
  assert.equal(
    text,
    [
      '-A -t 10.0.0.1:80 -s rr',
      '-a -t 10.0.0.1:80 -r 10.0.0.3:80 -m -w 1',
      '-a -t 10.0.0.1:80 -r 10.0.0.2:80 -m -w 2 -x 100 -y 10',
      '-A -f 99 -s rr -p 360',
      '--set 600 60 200',
      '',
    ].join('\n'),
  );
  assert.equal(statSync(s.state).mode & 0o777, 0o600);
  const before = (await s.adm('-Ln --nosort --thresholds')).stdout;
  await s.stop(d1);
  assert.equal(existsSync(s.socket), false);
  await s.start();
  assert.equal((await s.adm('-Ln --nosort --thresholds')).stdout, before);
  assert.equal((await s.adm('-L --timeout')).stdout, 'Timeout (tcp tcpfin udp): 600 60 200\n');
  // No temp files left behind.
  assert.deepEqual(readdirSync(s.dir).sort(), ['state', 'tsvs.sock']);
});

test('a corrupt state file is reported, kept aside, and the daemon starts empty', async (t) => {
  const s = setup(t);
  writeFileSync(s.state, '-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r garbage -w 1\n');
  const d = await s.start();
  assert.equal(d.director.snapshot().services.length, 0);
  const ev = s.events.find((e) => e.event === 'state-corrupt');
  assert.ok(ev);
  assert.match(String(ev.fields.error), /state:2: illegal real server address\[:port\] specified/);
  const aside = readdirSync(s.dir).filter((n) => n.startsWith('state.corrupt-'));
  assert.equal(aside.length, 1);
  assert.equal(
    readFileSync(join(s.dir, aside[0]!), 'utf8'),
    '-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r garbage -w 1\n',
  );
  // The new state is the empty director's.
  assert.equal(readFileSync(s.state, 'utf8'), '--set 900 120 300\n');
});

test('--rules is all or nothing: a bad line names file:line with ipvsadm message and status', async (t) => {
  const s = setup(t);
  const rules = join(s.dir, 'rules');
  writeFileSync(
    rules,
    '# demo\n-A -t 10.0.0.1:80 -s rr\n\n-a -t 10.0.0.1:80 -r 10.0.0.2 -w 1\n-a -t 10.0.0.1:80 -r 10.0.0.2 -w 1\n',
  );
  await assert.rejects(s.start({ rulesFile: rules }), (e) => {
    assert.ok(isTsvsError(e));
    assert.equal(e.message, `${rules}:5: Destination already exists`);
    assert.equal(e.exitStatus, 255);
    return true;
  });
  assert.equal(existsSync(s.socket), false, 'nothing listens after a bad rules file');
  writeFileSync(rules, '-A -t 10.0.0.1:80 -s rr -w 3\n');
  await assert.rejects(s.start({ rulesFile: rules }), (e) => {
    assert.ok(isTsvsError(e));
    assert.equal(e.message, `${rules}:1: Illegal 'weight' option with the 'add-service' command`);
    assert.equal(e.exitStatus, 2);
    return true;
  });
  writeFileSync(rules, '-A -t 10.0.0.1:80 -s rr\n-Ln\n');
  await assert.rejects(s.start({ rulesFile: rules }), /rules:2: '-Ln' is not a rule/);
  writeFileSync(rules, '-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 10.0.0.2:8080 -m -w 3\n');
  const d = await s.start({ rulesFile: rules });
  assert.equal(d.director.snapshot().services[0]!.reals[0]!.weight, 3);
});

test('reload applies only the difference: untouched services keep their state and connections', async (t) => {
  const s = setup(t);
  const rules = join(s.dir, 'rules');
  writeFileSync(
    rules,
    [
      '-A -t 10.0.0.1:80 -s rr',
      '-a -t 10.0.0.1:80 -r 10.0.0.11:80 -m',
      '-a -t 10.0.0.1:80 -r 10.0.0.12:80 -m',
      '-A -t 10.0.0.2:80 -s wlc',
      '-a -t 10.0.0.2:80 -r 10.0.0.21:80 -m',
      '-A -t 10.0.0.3:80 -s wlc',
      '',
    ].join('\n'),
  );
  const d = await s.start({ rulesFile: rules });
  const dir = d.director;
  const svc1 = dir.lookupService('TCP', '10.0.0.1', 80);
  const r1 = dir.schedule(svc1, '1.2.3.4', 1000, 0);
  const cid = dir.connect(svc1, r1, '1.2.3.4', 1000, '10.0.0.1', 80, d.now());
  dir.event(cid, 'established', d.now());
  // Edit service 2's scheduler, drop service 3, add a real to service 2, add service 4.
  writeFileSync(
    rules,
    [
      '-A -t 10.0.0.1:80 -s rr',
      '-a -t 10.0.0.1:80 -r 10.0.0.11:80 -m',
      '-a -t 10.0.0.1:80 -r 10.0.0.12:80 -m',
      '-A -t 10.0.0.2:80 -s sh',
      '-a -t 10.0.0.2:80 -r 10.0.0.21:80 -m -w 5',
      '-a -t 10.0.0.2:80 -r 10.0.0.22:80 -m',
      '-A -u 10.0.0.4:53 -s rr',
      '',
    ].join('\n'),
  );
  assert.equal(await d.reload(), true);
  const cmds = s.events
    .filter((e) => e.event === 'rule' && e.fields.why === 'reload')
    .map((e) => e.fields.command);
  assert.deepEqual(cmds, [
    '-D -t 10.0.0.3:80',
    '-E -t 10.0.0.2:80 -s sh',
    '-e -t 10.0.0.2:80 -r 10.0.0.21:80 -m -w 5',
    '-a -t 10.0.0.2:80 -r 10.0.0.22:80 -m -w 1',
    '-A -u 10.0.0.4:53 -s rr',
  ]);
  assert.equal(dir.lookupService('TCP', '10.0.0.1', 80), svc1);
  assert.equal(dir.connState(cid), 'ESTABLISHED');
  assert.equal(
    dir
      .snapshot()
      .services.find((x) => x.id === svc1)!
      .reals.find((r) => r.id === r1)!.activeConns,
    1,
  );
  // A bad file changes nothing.
  writeFileSync(rules, '-A -t 10.0.0.1:80 -s rr\n-A -t 10.0.0.1:80 -s rr\n');
  const before = (await s.adm('-S -n')).stdout;
  assert.equal(await d.reload(), false);
  assert.equal((await s.adm('-S -n')).stdout, before);
  assert.match(
    String(s.events.find((e) => e.event === 'reload-failed')?.fields.error),
    /rules:2: Service already exists/,
  );
  // The state file has the reloaded rules.
  assert.match(readFileSync(s.state, 'utf8'), /-A -u 10\.0\.0\.4:53 -s rr/);
});

test('one daemon per socket: a live one is refused, a stale socket file is removed', async (t) => {
  const s = setup(t);
  const d = await s.start();
  await assert.rejects(s.start({ statePath: null }), /a tsvs daemon already answers on .*tsvs\.sock/);
  await s.stop(d);
  // A stale socket: a process bound it and died without removing it.
  spawnSync(process.execPath, [
    '-e',
    `const s=require('net').createServer();s.listen(${JSON.stringify(s.socket)},()=>process.kill(process.pid,'SIGKILL'))`,
  ]);
  assert.equal(existsSync(s.socket), true);
  await s.start();
  assert.ok(s.events.some((e) => e.event === 'stale-socket-removed'));
  assert.equal((await s.adm('-Ln')).status, 0);
});

test('log lines: text with quoted values, or one JSON object per line', async () => {
  const lines: string[] = [];
  const clock = () => new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6));
  createLog(
    'text',
    (l) => lines.push(l),
    clock,
  )('rule', { why: 'start', command: '-A -t 10.0.0.1:80', n: 3, ok: true });
  createLog('json', (l) => lines.push(l), clock)('plane', { problem: 'listen EADDRINUSE "x"' });
  assert.deepEqual(lines, [
    '2026-01-02T03:04:05.006Z tsvs rule why=start command="-A -t 10.0.0.1:80" n=3 ok=true\n',
    '{"time":"2026-01-02T03:04:05.006Z","event":"plane","problem":"listen EADDRINUSE \\"x\\""}\n',
  ]);
});
