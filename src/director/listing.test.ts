// ipvsadm's real-server order, quirk included.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Director } from './director.js';
import { sortRealsIpvsadm } from './listing.js';

test('reals sorted by address (signed u32 difference) then port', () => {
  const d = new Director({ connCapacity: 8 });
  const key = { kind: 'addr', protocol: 'TCP', address: '10.0.0.100', port: 80 } as const;
  assert.ok(d.addService(key, {}).ok);
  for (const [address, port] of [
    ['192.168.10.2', 80],
    ['10.0.0.1', 80],
    ['192.168.10.1', 81],
    ['192.168.10.1', 80],
  ] as const)
    assert.ok(d.addServer(key, { address, port }).ok);
  const reals = d.snapshot().services[0]!.reals;
  assert.deepEqual(
    reals.map((r) => `${r.address}:${r.port}`),
    ['192.168.10.1:80', '192.168.10.1:81', '10.0.0.1:80', '192.168.10.2:80'],
    'kernel order: newest first',
  );
  assert.deepEqual(
    sortRealsIpvsadm(reals).map((r) => `${r.address}:${r.port}`),
    ['192.168.10.1:80', '192.168.10.1:81', '192.168.10.2:80', '10.0.0.1:80'],
  );
});
