// End to end: `tsvs run` (proxy plane), rules set with tsvsadm, real TCP servers A, B, C on
// 127.0.0.1 that write their name on accept, and client connections that stay open (ESTABLISHED,
// so each counts as active). Each scheduler's choices must be the kernel's, derived by hand from
// reference/ipvs-semantics.md §1: reals added A, B, C in that order -> kernel list [C, B, A].
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectRead, freePorts, type Held, namedServers, startDaemon, tempDir } from './director-support.js';

test('each scheduler picks what the kernel picks, connection after connection', async (t) => {
  const dir = tempDir(t);
  const d = await startDaemon(t, dir, ['--no-state']);
  const [A, B, C] = await namedServers(t, ['A', 'B', 'C']);
  const held: Held[] = [];
  t.after(() => {
    for (const h of held) h.socket.destroy();
  });

  interface Case {
    sched: string;
    weights: [number, number, number];
    /** Client source addresses, one per connection (default 127.0.0.1). */
    from?: string[];
    n: number;
    expect: string;
    why: string;
  }
  const cases: Case[] = [
    { sched: 'rr', weights: [1, 1, 1], n: 7, expect: 'C B A C B A C', why: '§1.1 list order, wrapping' },
    {
      sched: 'wrr',
      weights: [4, 3, 2],
      n: 18,
      expect: 'C B A A B A C B A C B A A B A C B A',
      why: '§1.2 worked example: partial pass at cw=1, then A B A C B A C B A',
    },
    {
      sched: 'lc',
      weights: [1, 2, 3],
      n: 6,
      expect: 'C B A C B A',
      why: '§1.3 least active*256+inactive, ties first',
    },
    {
      sched: 'wlc',
      weights: [1, 2, 3],
      n: 9,
      expect: 'C B A C B C C B A',
      why: '§1.4 overhead(cand)*w(d) > overhead(d)*w(cand), ties keep the earlier',
    },
    {
      sched: 'sed',
      weights: [1, 2, 3],
      n: 6,
      expect: 'C B C C B A',
      why: '§1.5 (active+1) cross-multiplied',
    },
    { sched: 'nq', weights: [1, 2, 3], n: 6, expect: 'C B A C C B', why: '§1.6 first idle, else sed' },
    { sched: 'fo', weights: [1, 5, 2], n: 4, expect: 'B B B B', why: '§1.7 highest weight' },
    {
      sched: 'ovf',
      weights: [1, 5, 2],
      n: 12,
      expect: 'B B B B B B C C C A A -',
      why: '§1.8 highest weight while active <= weight; then none (-: no destination)',
    },
    {
      sched: 'sh',
      weights: [1, 1, 1],
      from: [
        '127.0.0.1',
        '127.0.0.2',
        '127.0.0.3',
        '127.0.0.4',
        '127.0.0.5',
        '127.0.0.6',
        '127.0.0.7',
        '127.0.0.8',
      ],
      n: 8,
      // hash_32(ntohl(saddr), 8): buckets 154 252 94 192 33 131 229 71; bucket mod 3 in [C B A]
      expect: 'B C B C C A B A',
      why: '§1.11 source hash buckets',
    },
    {
      sched: 'lblc',
      weights: [1, 1, 1],
      n: 8,
      // One destination (the virtual address): kept while not "overloaded" (active > weight and
      // some real has active*2 < weight); then rebound by wlc: C C, B B, A A, and A for good once
      // nobody is below half load.
      expect: 'C C B B A A A A',
      why: '§1.12 locality, half-load rule, wlc rebinding',
    },
    {
      sched: 'lblcr',
      weights: [1, 1, 1],
      n: 7,
      // The set grows C, then B, then A (new members at the set's head; ties keep the head).
      expect: 'C C B B A A A',
      why: '§1.13 replication set, wlc within the set, half-load rule',
    },
    {
      sched: 'dh',
      weights: [1, 1, 1],
      n: 3,
      // hash_32(0x7f000001, 8) = 154, 154 mod 3 = 1 -> B
      expect: 'B B B',
      why: '§1.10 destination hash of the virtual address',
    },
  ];
  const ports = await freePorts(cases.length + 1);
  let script = '';
  cases.forEach((c, i) => {
    const vip = `127.0.0.1:${ports[i]}`;
    script += `-A -t ${vip} -s ${c.sched}\n`;
    [A, B, C].forEach((rs, j) => {
      script += `-a -t ${vip} -r 127.0.0.1:${rs!.port} -m -w ${c.weights[j]}\n`;
    });
  });
  // The seeds' persistence line: wlc -p 3 sends one client to one real server.
  const pvip = `127.0.0.1:${ports[cases.length]}`;
  script += `-A -t ${pvip} -s wlc -p 3\n-a -t ${pvip} -r 127.0.0.1:${A!.port} -m -w 1\n-a -t ${pvip} -r 127.0.0.1:${B!.port} -m -w 1\n`;
  const r = await d.adm('-R', script);
  assert.equal(r.status, 0, r.stderr);

  for (let i = 0; i < cases.length; i++) {
    const c = cases[i]!;
    const got: string[] = [];
    for (let k = 0; k < c.n; k++) {
      const h = await connectRead(ports[i]!, c.from?.[k] ?? '127.0.0.1');
      held.push(h);
      got.push(h.line === '' ? '-' : h.line);
    }
    assert.equal(got.join(' '), c.expect, `${c.sched}: ${c.why}`);
  }

  // Persistence: first pick is the list head (B, added last; wlc with all idle), then the template.
  // Client 127.0.0.2 has no template: wlc now sees B busy and picks A, and keeps it.
  const picks: string[] = [];
  for (const from of ['127.0.0.1', '127.0.0.1', '127.0.0.1', '127.0.0.2', '127.0.0.2', '127.0.0.1']) {
    const h = await connectRead(ports[cases.length]!, from);
    held.push(h);
    picks.push(h.line);
  }
  assert.equal(picks.join(' '), 'B B B A A B');

  // The listing agrees with the clients: rr's seven open connections (C B A C B A C).
  const ln = await d.adm(['-Ln', '-t', `127.0.0.1:${ports[0]}`]);
  const rows = new Map(
    ln.stdout
      .split('\n')
      .filter((l) => l.startsWith('  -> 127'))
      .map((l) => [l.slice(5, 33).trim(), l.slice(33)] as const),
  );
  // Forward(7) Weight(6) ActiveConn(10) InActConn(10), left-justified, trailing padding kept.
  assert.equal(rows.get(`127.0.0.1:${A!.port}`), ' Masq    1      2          0         ');
  assert.equal(rows.get(`127.0.0.1:${B!.port}`), ' Masq    1      2          0         ');
  assert.equal(rows.get(`127.0.0.1:${C!.port}`), ' Masq    1      3          0         ');
  // The persistent service shows its templates with --persistent-conn.
  const pc = await d.adm(['-Ln', '--persistent-conn', '-t', pvip]);
  assert.match(pc.stdout, new RegExp(`-> 127\\.0\\.0\\.1:${A!.port}\\s+1\\s+1\\s+2\\s+0`));
  assert.match(pc.stdout, new RegExp(`-> 127\\.0\\.0\\.1:${B!.port}\\s+1\\s+1\\s+4\\s+0`));
});
