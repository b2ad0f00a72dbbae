// The config file format (config.ts header) and rule files: directives, errors as FILE:LINE: what,
// state text round trip, and the difference between two rule sets.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isTsvsError } from '../../errors.js';
import { executeIpvsadm } from '../ipvsadm/execute.js';
import { parseConfig } from './config.js';
import { buildRules, diffRules, ruleLines, rulesText } from './rules.js';

const SAMPLE = `# the seeds' 80+443 under one mark
fwmark 99 tcp 127.0.0.1:80 tcp 127.0.0.1:443   # both feed FWM 99
fwmark 7 udp [::1]:5353
proxy-protocol v2 -t 127.0.0.1:8080
proxy-protocol v1 -f 99
proxy-protocol v2 -u [::1]:53
ipvsadm -A -f 99 -s rr -p
-a -f 99 -r 127.0.0.1:8081 -m
rules extra.rules
`;

test('config: fwmark listeners, proxy-protocol services, rule lines and includes', () => {
  const c = parseConfig(SAMPLE, '/etc/tsvs/tsvs.conf', (path) => {
    assert.equal(path, '/etc/tsvs/extra.rules');
    return '-A -t 127.0.0.1:8080 -s wrr\n';
  });
  assert.deepEqual(c.plane.fwmarks.get(99), [
    { protocol: 'TCP', address: '127.0.0.1', port: 80 },
    { protocol: 'TCP', address: '127.0.0.1', port: 443 },
  ]);
  assert.deepEqual(c.plane.fwmarks.get(7), [{ protocol: 'UDP', address: '::1', port: 5353 }]);
  assert.deepEqual(
    [...c.plane.proxyProtocol],
    [
      ['TCP 127.0.0.1:8080', 2],
      ['FWM 99', 1],
      ['UDP [::1]:53', 2],
    ],
  );
  assert.deepEqual(
    c.rules.map((r) => `${r.file}:${r.line} ${r.argv.join(' ')}`),
    [
      '/etc/tsvs/tsvs.conf:7 -A -f 99 -s rr -p',
      '/etc/tsvs/tsvs.conf:8 -a -f 99 -r 127.0.0.1:8081 -m',
      '/etc/tsvs/extra.rules:1 -A -t 127.0.0.1:8080 -s wrr',
    ],
  );
  const d = buildRules(c.rules);
  assert.equal(d.snapshot().services.length, 2);
});

test('config: each mistake is reported as FILE:LINE: what', () => {
  const cases: [string, RegExp][] = [
    ['fwmark 0 tcp 127.0.0.1:80', /^c:1: firewall mark 0 is out of range/],
    ['fwmark x tcp 127.0.0.1:80', /^c:1: expected a firewall mark/],
    ['fwmark 9 tcp', /^c:1: expected: fwmark MARK tcp\|udp ADDR:PORT/],
    ['fwmark 9 sctp 127.0.0.1:80', /^c:1: expected tcp or udp, got 'sctp'/],
    ['fwmark 9 tcp 127.0.0.1', /^c:1: expected ADDR:PORT/],
    ['fwmark 9 tcp 127.0.0.1:99999', /^c:1: expected ADDR:PORT/],
    [
      '\nfwmark 9 tcp 127.0.0.1:80\nfwmark 10 tcp 127.0.0.1:80',
      /^c:3: tcp 127.0.0.1:80 already feeds firewall mark 9/,
    ],
    ['proxy-protocol v3 -t 1.2.3.4:80', /^c:1: expected proxy-protocol v1\|v2 SERVICE/],
    ['proxy-protocol v1 -u 1.2.3.4:53', /^c:1: PROXY protocol v1 carries TCP only/],
    ['proxy-protocol v2 1.2.3.4:80', /^c:1: expected a service/],
    ['rules', /^c:1: expected: rules FILE/],
    ['listen 80', /^c:1: unknown directive 'listen'/],
    ['local-address', /^c:1: expected: local-address ADDR/],
    ['local-address 10.0.0.1 ::1', /^c:1: '::1' is not an IPv4 address/],
    ['local-address 10.0.0.300', /^c:1: '10.0.0.300' is not an IPv4 address/],
  ];
  for (const [text, re] of cases) {
    assert.throws(
      () => parseConfig(text, 'c', () => ''),
      (e) => isTsvsError(e) && re.test(e.message),
      text,
    );
  }
  assert.throws(
    () =>
      parseConfig('rules missing.rules', '/x/c', () => {
        throw new Error('cannot read rules file /x/missing.rules (ENOENT)');
      }),
    (e) => isTsvsError(e) && e.message === '/x/c:1: cannot read rules file /x/missing.rules (ENOENT)',
  );
});

test('config: FULLNAT local addresses, canonical and once each', () => {
  const c = parseConfig('local-address 10.99.2.250 10.99.2.251\nlocal-address 10.99.2.250 # again\n', 'c');
  assert.deepEqual(c.plane.localAddresses, ['10.99.2.250', '10.99.2.251']);
});

test('rule lines are checked like ipvsadm, with file:line', () => {
  assert.throws(
    () => buildRules(ruleLines('-A -t 10.0.0.1:80\n-A -t 10.0.0.2:80 -s nosuch\n', 'r')),
    (e) =>
      isTsvsError(e) &&
      e.message === 'r:2: Scheduler or persistence engine not found' &&
      e.exitStatus === 255,
  );
  assert.throws(
    () => buildRules(ruleLines('-a -t 10.0.0.1:80 -r 10.0.0.2 -w -1\n', 'r')),
    (e) => isTsvsError(e) && e.message === 'r:1: illegal weight specified' && e.exitStatus === 2,
  );
});

test('rulesText rebuilds the same director: list order, thresholds, tunnels, fwmark, timeouts', () => {
  const lines = [
    '-A -t 10.0.0.1:80 -s wrr',
    '-a -t 10.0.0.1:80 -r 10.0.0.9:80 -m -w 4',
    '-a -t 10.0.0.1:80 -r 10.0.0.3:80 -m -w 3 -x 50',
    '-a -t 10.0.0.1:80 -r 10.0.0.5:80 -i -w 2 --tun-type gue --tun-port 6080 --tun-csum',
    '-A -u [2001:db8::1]:53 -s sh -b sh-port -p 60',
    '-a -u [2001:db8::1]:53 -r [2001:db8::2]:53 -g',
    '-A -f 99 -s rr -p 120 -M 255.255.255.0',
    '--set 100 20 30',
  ];
  const d = buildRules(ruleLines(lines.join('\n'), 'r'));
  const text = rulesText(d);
  const again = buildRules(ruleLines(text, 'state'));
  assert.equal(rulesText(again), text);
  const opts = { now: 0 };
  for (const l of ['-Ln --nosort', '-Ln --thresholds', '-Ln --tun-info', '-L --timeout'])
    assert.equal(
      executeIpvsadm(again, l.split(' '), opts).stdout,
      executeIpvsadm(d, l.split(' '), opts).stdout,
      l,
    );
  assert.deepEqual(diffRules(d, again), []);
});

test('diffRules: deletes, edits and adds only what differs', () => {
  const a = buildRules(
    ruleLines('-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 10.0.0.2:80 -m\n-A -t 10.0.0.9:80\n', 'a'),
  );
  const b = buildRules(
    ruleLines(
      '-A -t 10.0.0.1:80 -s rr -p 30\n-a -t 10.0.0.1:80 -r 10.0.0.3:80 -m\n-A -f 5 -s lc\n-a -f 5 -r 10.0.0.4 -g\n--set 1 2 3\n',
      'b',
    ),
  );
  assert.deepEqual(
    diffRules(a, b).map((c) => c.join(' ')),
    [
      '-D -t 10.0.0.9:80',
      '-E -t 10.0.0.1:80 -s rr -p 30',
      '-d -t 10.0.0.1:80 -r 10.0.0.2:80',
      '-a -t 10.0.0.1:80 -r 10.0.0.3:80 -m -w 1',
      '-A -f 5 -s lc',
      '-a -f 5 -r 10.0.0.4:0 -g -w 1',
      '--set 1 2 3',
    ],
  );
  for (const c of diffRules(a, b)) assert.equal(executeIpvsadm(a, c, { now: 0 }).status, 0, c.join(' '));
  assert.deepEqual(diffRules(a, b), []);
});
