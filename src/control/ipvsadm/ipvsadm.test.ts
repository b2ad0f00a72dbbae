// ipvsadm grammar, listings and -S/-R against the reference's sample outputs (ipvs-semantics.md §5).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Director } from '../../director/index.js';
import { executeIpvsadm } from './execute.js';
import { largenum } from './format.js';
import { parseIpvsadm } from './grammar.js';

function run(d: Director, line: string, stdin?: string) {
  return executeIpvsadm(d, line === '' ? [] : line.split(' '), { now: 0, prog: 'ipvsadm', stdin });
}

function sampleDirector(): Director {
  const d = new Director({ connCapacity: 64 });
  for (const line of [
    '-A -t 10.0.0.100:80 -s wlc',
    '-a -t 10.0.0.100:80 -r 192.168.10.1:80 -m -w 1',
    '-a -t 10.0.0.100:80 -r 192.168.10.2:80 -m -w 2',
    '-A -u 10.0.0.100:53 -s rr -p 360',
    '-a -u 10.0.0.100:53 -r 192.168.10.1:53 -g -w 1',
    '-A -f 10 -s wrr -p 3600 -M 255.255.255.0',
    '-a -f 10 -r 192.168.10.1:0 -g -w 1',
  ]) {
    const r = run(d, line);
    assert.equal(r.status, 0, `${line}: ${r.stderr}`);
  }
  return d;
}

test('-Ln: the reference sample, trailing padding included', () => {
  const d = sampleDirector();
  const r = run(d, '-Ln');
  assert.equal(
    r.stdout,
    [
      'IP Virtual Server version 1.2.1 (size=4096)',
      'Prot LocalAddress:Port Scheduler Flags',
      '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
      'TCP  10.0.0.100:80 wlc',
      '  -> 192.168.10.1:80              Masq    1      0          0         ',
      '  -> 192.168.10.2:80              Masq    2      0          0         ',
      'UDP  10.0.0.100:53 rr persistent 360',
      '  -> 192.168.10.1:53              Route   1      0          0         ',
      'FWM  10 wrr persistent 3600 mask 255.255.255.0',
      '  -> 192.168.10.1:0               Route   1      0          0         ',
      '',
    ].join('\n'),
  );
});

test('-S gives the reference order and -R of it rebuilds the same rules', () => {
  const d = sampleDirector();
  const saved = run(d, '-S -n').stdout;
  assert.equal(
    saved,
    [
      '-A -t 10.0.0.100:80 -s wlc',
      '-a -t 10.0.0.100:80 -r 192.168.10.1:80 -m -w 1',
      '-a -t 10.0.0.100:80 -r 192.168.10.2:80 -m -w 2',
      '-A -u 10.0.0.100:53 -s rr -p 360',
      '-a -u 10.0.0.100:53 -r 192.168.10.1:53 -g -w 1',
      '-A -f 10 -s wrr -p 3600 -M 255.255.255.0',
      '-a -f 10 -r 192.168.10.1:0 -g -w 1',
      '',
    ].join('\n'),
  );
  const d2 = new Director({ connCapacity: 64 });
  const r = run(d2, '-R', saved);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(run(d2, '-S -n').stdout, saved);
});

test('--stats and --rate titles and zero rows', () => {
  const d = new Director({ connCapacity: 8 });
  run(d, '-A -t 10.0.0.100:80 -s rr');
  run(d, '-a -t 10.0.0.100:80 -r 192.168.10.1:80 -m');
  assert.equal(
    run(d, '-L -n --stats -t 10.0.0.100:80').stdout,
    [
      'Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes',
      '  -> RemoteAddress:Port',
      'TCP  10.0.0.100:80                       0        0        0        0        0',
      '  -> 192.168.10.1:80                     0        0        0        0        0',
      '',
    ].join('\n'),
  );
  assert.equal(
    run(d, '-Ln --rate').stdout.split('\n')[1],
    'Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS',
  );
});

test('print_largenum examples', () => {
  assert.equal(largenum(987654321, false), '  987654K');
  assert.equal(largenum(99999999, false), ' 99999999');
  assert.equal(largenum(100000000, false), '  100000K');
  assert.equal(largenum(1000000000, false), '    1000M');
  assert.equal(largenum(987654321, true), ' 987654321', 'width max(9, digits + 1)');
});

test('parser messages and exit statuses', () => {
  const d = new Director({ connCapacity: 8 });
  const cases: [string, string, number][] = [
    ['-a -t 1.2.3.4:80', "You need to supply the 'real-server' option for the 'add-server' command", 2],
    ['-A -t 1.2.3.4:80 -w 3', "Illegal 'weight' option with the 'add-service' command", 2],
    [
      '-L -c -t 1.2.3.4:80',
      "The option 'service-address' conflicts with the 'connection' option in the 'list' command",
      2,
    ],
    ['-a -t 1.2.3.4:80 -r 1.1.1.1 -g -m', "multiple 'forwarding-method' options specified", 2],
    ['-A -D -t 1.2.3.4:80', 'multiple commands specified', 2],
    ['-A -t 1.2.3.4', 'Zero port specified for non-persistent service', 2],
    ['-A -t 1.2.3:80', 'illegal virtual server address[:port] specified', 2],
    ['-n', "Try `ipvsadm -h' or 'ipvsadm --help' for more information.", 255],
    ['-A --bogus', '--bogus: unknown option', 255],
    ['--set 1 2', '--set option requires 3 timeout values', 2],
    ['-L --stats -c', 'options conflicts in the list command', 2],
    ['-A -t 1.2.3.4:80 -s nosuch', 'Scheduler or persistence engine not found', 255],
    ['-D -t 1.2.3.4:80', 'No such service', 255],
    ['-a -t 1.2.3.4:80 -r 1.1.1.1', 'Service not defined', 255],
  ];
  for (const [line, msg, status] of cases) {
    const r = run(d, line);
    assert.equal(r.stderr, `${msg}\n`, line);
    assert.equal(r.status, status, line);
  }
  assert.equal(run(d, '-A -t 1.2.3.4:80 -s rr').status, 0);
  const dup = run(d, '-A -t 1.2.3.4:80 -s rr');
  assert.deepEqual([dup.stderr, dup.status], ['Service already exists\n', 255]);
});

test('combined short options, -p without a value, -e resets to defaults', () => {
  const p = parseIpvsadm(['-Lnc']);
  assert.ok(p.ok && p.command.list.numeric && p.command.list.connection);
  const d = new Director({ connCapacity: 8 });
  assert.equal(run(d, '-A -f 99 -s rr -p').status, 0);
  assert.equal(run(d, '-a -f 99 -r 172.16.100.2 -g').status, 0);
  assert.equal(run(d, '-S -n').stdout, '-A -f 99 -s rr -p 360\n-a -f 99 -r 172.16.100.2:0 -g -w 1\n');
  run(d, '-A -t 10.0.0.1:80 -s rr');
  run(d, '-a -t 10.0.0.1:80 -r 10.0.1.1:8080 -m -w 5');
  // -g (the default) forces the service port, so this names 10.0.1.1:80, which does not exist.
  const e = run(d, '-e -t 10.0.0.1:80 -r 10.0.1.1:8080');
  assert.deepEqual([e.stderr, e.status], ['No such destination\n', 255]);
  run(d, '-a -t 10.0.0.1:80 -r 10.0.1.2:80 -m -w 5');
  assert.equal(run(d, '-e -t 10.0.0.1:80 -r 10.0.1.2:80').status, 0);
  assert.match(run(d, '-S -n').stdout, /-a -t 10\.0\.0\.1:80 -r 10\.0\.1\.2:80 -g -w 1\n/);
  assert.equal(run(d, '-L --timeout').stdout, 'Timeout (tcp tcpfin udp): 900 120 300\n');
  assert.equal(
    run(d, '-Lnc').stdout,
    'IPVS connection entries\npro expire state       source             virtual            destination\n',
  );
});

test('--fullnat (tsvsadm extension): listed as FullNat, saved and restored, one method only', () => {
  const d = new Director();
  assert.equal(run(d, '-A -t 10.0.0.1:80 -s rr').status, 0);
  assert.equal(run(d, '-a -t 10.0.0.1:80 -r 10.0.1.2:8080 --fullnat -w 2').status, 0);
  assert.match(run(d, '-Ln').stdout, / {2}-> 10\.0\.1\.2:8080 {16}FullNat 2 /);
  const saved = run(d, '-S -n').stdout;
  assert.equal(saved, '-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 10.0.1.2:8080 --fullnat -w 2\n');
  const e = new Director();
  assert.equal(run(e, '-R', saved).status, 0);
  assert.equal(run(e, '-S -n').stdout, saved);
  const bad = run(d, '-a -t 10.0.0.1:80 -r 10.0.1.3 --fullnat -m');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /multiple 'forwarding-method' options specified/);
});
