// End to end: `tsvs demo` (the README's main command) with --requests, and its clear refusal of a
// busy port. wrr 3/2/1 added 1, 2, 3 -> kernel list [3 2 1], a partial pass at cw=1 (3 2 1), then
// the cycle 1 | 2 1 | 3 2 1 (reference/ipvs-semantics.md §1.2).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { freePort, runNode, TSVS } from './director-support.js';

test('tsvs demo --requests 12: wrr 3/2/1 answers, the commands to try, the listing, exit 0', async () => {
  const port = await freePort();
  const r = await runNode([TSVS, 'demo', '--port', String(port), '--requests', '12']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  const answers = [...r.stdout.matchAll(/^request (\d+): real server (\d)$/gm)].map((m) => m[2]);
  assert.deepEqual(answers.join(' '), '3 2 1 1 2 1 3 2 1 1 2 1');
  const sock = /^ {2}export TSVS_SOCKET=(\S+)$/m.exec(r.stdout)?.[1];
  assert.ok(sock, r.stdout);
  assert.equal(existsSync(sock), false, 'the demo removed its socket');
  assert.match(
    r.stdout,
    new RegExp(`for i in \\$\\(seq 12\\); do curl -s http://127\\.0\\.0\\.1:${port}/; done`),
  );
  assert.match(r.stdout, /tsvsadm\.js -Ln --stats\n/);
  assert.match(r.stdout, /tsvsadm\.js -Lnc\n/);
  // The listing after the requests: 12 connections, 6/4/2 by weight, all closed (InActConn).
  assert.match(r.stdout, new RegExp(`\\nTCP  127\\.0\\.0\\.1:${port} wrr\\n`));
  const conns = [...r.stdout.matchAll(/^ {2}-> 127\.0\.0\.1:\d+ +(\d+) +(\d+) +(\d+) +\d+ +\d+$/gm)].map(
    (m) => m[1],
  );
  assert.equal(conns.length, 3);
  assert.deepEqual(
    conns.map(Number).sort((a, b) => b - a),
    [6, 4, 2],
  );
  assert.match(r.stdout, new RegExp(`\\nTCP  127\\.0\\.0\\.1:${port} +12 +12 +12 +\\d+ +\\d+\\n`));
});

test('tsvs demo on a busy port says so and how to change it', async (t) => {
  const busy = createServer();
  await new Promise<void>((res) => busy.listen(0, '127.0.0.1', () => res()));
  t.after(() => new Promise<void>((res) => busy.close(() => res())));
  const port = (busy.address() as { port: number }).port;
  const r = await runNode([TSVS, 'demo', '--port', String(port), '--requests', '1']);
  assert.equal(r.status, 1);
  assert.match(
    r.stderr,
    new RegExp(
      `^tsvs demo: 127\\.0\\.0\\.1:${port} is already in use by another program; choose another port, e\\.g\\. tsvs demo --port \\d+\\n$`,
    ),
  );
  const bad = await runNode([TSVS, 'demo', '--port', '0']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^tsvs demo: --port takes a port 1\.\.65535, got '0'\n/);
});
