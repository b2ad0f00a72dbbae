// `tsvs lab MODE --json` for the five modes, end to end in network namespaces: the client's requests
// rotate over the real servers (rr), the real server sees the client's own SYN for nat/fullnat/tun/dr
// and a second handshake for proxy, and nothing named tsl-* is left behind. Needs root.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labDownCli, labNamespaces, runLabCli, labSkip as skip } from './lab-support.js';

for (const mode of ['nat', 'proxy', 'dr', 'tun', 'fullnat'] as const) {
  test(`tsvs lab ${mode} --json`, { skip, timeout: 90_000 }, (t) => {
    t.after(() => {
      if (labNamespaces().length > 0) labDownCli();
    });
    const r = runLabCli([mode]);
    assert.equal(r.status, 0, r.out);
    const j = r.json as {
      mode: string;
      requests: number;
      errors: number;
      servers_seen: string[];
      client_isn: number | null;
      server_isn: number | null;
      director: { plane: string; counters: Record<string, number>; states: string[] };
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
      const c = j.director.counters;
      assert.ok((c.tx ?? 0) + (c.tx_frames ?? 0) >= 6 * 3, JSON.stringify(c));
      assert.equal(c.drop_malformed, 0);
      assert.equal(c.drop_table_full, 0);
    }
    assert.deepEqual(labNamespaces(), []);
  });
}
