// `tsvs lab MODE --json` end to end in network namespaces, one test after the other (the labs share
// the tsl-* names, so they live in this one file: node:test runs files in parallel):
// - the five modes: the client's requests rotate over the real servers (rr), the real server sees
//   the client's own SYN for nat/fullnat/tun/dr and a second handshake for proxy;
// - a bounded SYN flood (20k SYNs from spoofed sources) against the packet plane: the director
//   survives, its table stays within its capacity, and a legitimate client's success rate during
//   the flood is measured and reported;
// - nothing named tsl-* is left behind. Needs root.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LabResult } from '../../src/lab/lab.js';
import { labCleanup, labNamespaces, labSkip, packetSkip, runLabCli } from './lab-support.js';

for (const mode of ['nat', 'proxy', 'dr', 'tun', 'fullnat'] as const) {
  test(`tsvs lab ${mode} --json`, { skip: mode === 'proxy' ? labSkip : packetSkip, timeout: 90_000 }, (t) => {
    let pid: number | undefined;
    t.after(() => labCleanup(pid));
    const r = runLabCli([mode]);
    pid = r.pid;
    assert.equal(r.status, 0, r.out);
    const j = r.json as {
      mode: string;
      requests: number;
      errors: number;
      servers_seen: string[];
      client_isn: number | null;
      server_isn: number | null;
      director: { plane: string; counters: Record<string, number>; states: string[]; listing: string };
    };
    assert.equal(j.mode, mode);
    assert.equal(j.requests, 6);
    assert.equal(j.errors, 0, r.out);
    // rr over three real servers: three different answers, then the same three again.
    const seen = j.servers_seen;
    assert.equal(seen.length, 6);
    for (const s of seen) assert.match(s, /^real server [123]$/);
    assert.equal(new Set(seen.slice(0, 3)).size, 3, `rotation: ${seen.join(', ')}`);
    assert.deepEqual(seen.slice(3), seen.slice(0, 3));
    assert.equal(typeof j.client_isn, 'number');
    assert.equal(typeof j.server_isn, 'number');
    if (mode === 'proxy') {
      assert.notEqual(j.server_isn, j.client_isn, 'a proxy opens its own connection');
      assert.equal(j.director.plane, 'proxy');
    } else {
      assert.equal(j.server_isn, j.client_isn, 'LVS forwards the client SYN itself');
      assert.equal(j.director.plane, 'packet');
    }
    // tsvsadm against the daemon (tsvs run): two connections per real server, and the entries in
    // the states the packets drove them to (replies seen: TIME_WAIT; DR/TUN see the client only).
    const reals = j.director.listing.split('\n').filter((l) => /^\s+-> \d/.test(l));
    assert.equal(reals.length, 3, j.director.listing);
    for (const l of reals) assert.equal(l.trim().split(/\s+/)[2], '2', j.director.listing);
    const states = j.director.states;
    assert.equal(states.length, 6, states.join(' '));
    assert.ok(!states.includes('NONE') && !states.includes('SYN_RECV'), states.join(' '));
    assert.ok(states.includes(mode === 'dr' || mode === 'tun' ? 'FIN_WAIT' : 'TIME_WAIT'), states.join(' '));
    assert.deepEqual(labNamespaces(pid), []);
  });
}

/** The flood part of `tsvs lab --json`, as the lab writes it. */
type Flood = NonNullable<LabResult['flood']>;

for (const capacity of [65536, 4096]) {
  test(`SYN flood, 20000 SYNs, table capacity ${capacity}`, { skip: packetSkip, timeout: 90_000 }, (t) => {
    let pid: number | undefined;
    t.after(() => labCleanup(pid));
    const r = runLabCli([
      'nat',
      '--flood',
      '20000',
      '--requests',
      capacity < 20000 ? '10' : '20',
      '--no-capture',
      '--runner',
      '--conn-capacity',
      String(capacity),
    ]);
    pid = r.pid;
    assert.deepEqual(labNamespaces(pid), []);
    const j = r.json as { flood?: Flood; director: { counters: Record<string, number> } };
    assert.ok(j.flood, r.out);
    const f = j.flood;
    t.diagnostic(
      `capacity ${capacity}: legitimate ${f.legit_ok}/${f.legit_requests} (${Math.round(f.success_rate * 100)}%), median ${f.legit_ms_median} ms; table ${f.table_entries}; refused ${f.conn_drops}`,
    );
    assert.equal(f.syns_sent, 20000);
    assert.ok(f.table_entries <= capacity, `table ${f.table_entries} > ${capacity}`);
    const c = j.director.counters;
    assert.ok((c.rx ?? 0) >= 10000, 'the flood reached the forwarder');
    assert.equal(c.drop_malformed, 0);
    if (capacity < 20000) {
      // More flows than entries: the table fills; new SYNs take the place of half-open entries
      // (drop_entry), so the legitimate client is still served.
      assert.ok((c.defense_drop_entry ?? 0) > 0, JSON.stringify(c));
      assert.ok(f.success_rate >= 0.5, `legitimate success ${f.success_rate}`);
    } else {
      assert.equal(f.conn_drops, 0);
      assert.ok(f.success_rate >= 0.5, `legitimate success ${f.success_rate}`);
    }
  });
}
