// A bounded SYN flood (20k SYNs from spoofed sources, inside a NAT lab) against the packet plane:
// the director survives, its connection table stays within its capacity (refusals counted), and
// a legitimate client's success rate during the flood is measured and reported. Needs root.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labDownCli, labNamespaces, runLabCli, labSkip as skip } from './lab-support.js';

interface Flood {
  syns_sent: number;
  legit_requests: number;
  legit_ok: number;
  success_rate: number;
  legit_ms_median: number;
  table_entries: number;
  table_capacity: number;
  conn_drops: number;
}

for (const capacity of [65536, 4096]) {
  test(`SYN flood, 20000 SYNs, table capacity ${capacity}`, { skip, timeout: 90_000 }, (t) => {
    t.after(() => {
      if (labNamespaces().length > 0) labDownCli();
    });
    const r = runLabCli([
      'nat',
      '--flood',
      '20000',
      '--requests',
      capacity < 20000 ? '10' : '20',
      '--no-capture',
      '--conn-capacity',
      String(capacity),
    ]);
    assert.equal(labNamespaces().length, 0);
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
      assert.ok(f.success_rate >= 0.8, `legitimate success ${f.success_rate}`);
    } else {
      assert.equal(f.conn_drops, 0);
      assert.ok(f.success_rate >= 0.8, `legitimate success ${f.success_rate}`);
    }
  });
}
