// End to end: the seeds' ipvsadm scripts run as written with tsvsadm; -S | -R round trips; the
// state file survives a restart and a corrupt one is kept aside; bad input gets ipvsadm's message
// and status with nothing half-applied while the daemon keeps running; no daemon, two daemons.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runNode, startDaemon, TSVS, TSVSADM, tempDir } from './director-support.js';

test("the seeds' NAT, DR and fwmark scripts, with ipvsadm replaced by tsvsadm", async (t) => {
  const dir = tempDir(t);
  const d = await startDaemon(t, dir);
  // 000_cbf69bfb29e8db05.txt, lvs_nat.sh (IPVSADM=tsvsadm)
  const nat = `set -e
IPVSADM="${process.execPath} ${TSVSADM}"
$IPVSADM -C
$IPVSADM -A -t 192.168.229.128:80 -s wlc -p 3
$IPVSADM -a -t 192.168.229.128:80 -r 192.168.31.129:80 -m -w 1
$IPVSADM -a -t 192.168.229.128:80 -r 192.168.31.130:80 -m -w 1
$IPVSADM -ln
`;
  const env = { ...process.env, TSVS_SOCKET: d.socket };
  let r = await runNode(
    ['-e', `require('child_process').execFileSync('sh', ['-c', process.argv[1]], {stdio: 'inherit'})`, nat],
    { env },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.equal(
    r.stdout,
    `IP Virtual Server version 1.2.1 (size=4096)
Prot LocalAddress:Port Scheduler Flags
  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
TCP  192.168.229.128:80 wlc persistent 3
  -> 192.168.31.129:80            Masq    1      0          0         
  -> 192.168.31.130:80            Masq    1      0          0         
`,
  );
  // The seed's own trouble: -p 0 is refused by the parser.
  r = await d.adm('-A -t 192.168.229.128:80 -s wlc -p 0');
  assert.deepEqual([r.status, r.stderr], [2, "invalid timeout value `0' specified\n"]);
  // lvs_dr.sh with its variables, and the fwmark persistence example (80+443 under mark 99).
  const dr = `set -e
ipv="${process.execPath} ${TSVSADM}"
vip=192.168.31.200
rs1=192.168.31.129
rs2=192.168.31.130
$ipv -C
$ipv -A -t $vip:80 -s wrr
$ipv -a -t $vip:80 -r $rs1:80 -g -w 1
$ipv -a -t $vip:80 -r $rs2:80 -g -w 1
$ipv -A -f 99 -s rr -p
$ipv -a -f 99 -r 172.16.100.2 -g
$ipv -a -f 99 -r 172.16.100.3 -g
$ipv -ln
`;
  r = await runNode(
    ['-e', `require('child_process').execFileSync('sh', ['-c', process.argv[1]], {stdio: 'inherit'})`, dr],
    { env },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.equal(
    r.stdout,
    `IP Virtual Server version 1.2.1 (size=4096)
Prot LocalAddress:Port Scheduler Flags
  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
TCP  192.168.31.200:80 wrr
  -> 192.168.31.129:80            Route   1      0          0         
  -> 192.168.31.130:80            Route   1      0          0         
FWM  99 rr persistent 360
  -> 172.16.100.2:0               Route   1      0          0         
  -> 172.16.100.3:0               Route   1      0          0         
`,
  );
  // Without --state, the state file sits beside the socket (tsvs.sock -> tsvs.state), in add order.
  assert.equal(
    readFileSync(join(dir, 'tsvs.state'), 'utf8'),
    `-A -t 192.168.31.200:80 -s wrr
-a -t 192.168.31.200:80 -r 192.168.31.129:80 -g -w 1
-a -t 192.168.31.200:80 -r 192.168.31.130:80 -g -w 1
-A -f 99 -s rr -p 360
-a -f 99 -r 172.16.100.2:0 -g -w 1
-a -f 99 -r 172.16.100.3:0 -g -w 1
--set 900 120 300
`,
  );
  // The proxy plane cannot listen on an address this host lacks: accepted, and logged.
  await d.waitLog(/plane plane=proxy problem=.*192\.168\.31\.200:80/);
  assert.equal(
    (await d.adm('-h')).stdout.split('\n')[0],
    "tsvsadm (tsvs): administer the tsvs director with ipvsadm's commands and options.",
  );
});

test('-S | -R round trips exactly, between two daemons and after -C', async (t) => {
  const dir = tempDir(t);
  const a = await startDaemon(t, dir, [], 'a.sock');
  const b = await startDaemon(t, dir, [], 'b.sock');
  const rules = `-A -t 10.0.0.1:80 -s sh -b sh-fallback,sh-port
-a -t 10.0.0.1:80 -r 192.168.11.1:80 -i -w 1 --tun-type gre --tun-csum
-A -t 10.0.0.100:80 -s wlc
-a -t 10.0.0.100:80 -r 192.168.10.1:80 -m -w 1
-a -t 10.0.0.100:80 -r 192.168.10.2:80 -m -w 2
-A -u 10.0.0.100:53 -s rr -p 360
-a -u 10.0.0.100:53 -r 192.168.10.1:53 -g -w 1
-A -t [2001:db8::1]:443 -s mh -b mh-port
-a -t [2001:db8::1]:443 -r [2001:db8::10]:8443 -m -w 7
-A -f 10 -s wrr -p 3600 -M 255.255.255.0
-a -f 10 -r 192.168.10.1:0 -g -w 1
`;
  let r = await a.adm('-R', rules);
  assert.equal(r.status, 0, r.stderr);
  const saved = (await a.adm('-S -n')).stdout;
  // Save order is ipvsadm's (sorted), not the input order.
  assert.equal(saved.split('\n')[0], '-A -t 10.0.0.1:80 -s sh -b sh-fallback,sh-port');
  const sh = `${process.execPath} ${TSVSADM} --socket ${a.socket} -S -n | ${process.execPath} ${TSVSADM} --socket ${b.socket} -R`;
  r = await runNode([
    '-e',
    `require('child_process').execFileSync('sh', ['-c', process.argv[1]], {stdio: 'inherit'})`,
    sh,
  ]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal((await b.adm('-S -n')).stdout, saved);
  assert.equal((await b.adm('-Ln')).stdout, (await a.adm('-Ln')).stdout);
  // Same daemon: -C then -R of its own -S.
  assert.equal((await a.adm('-C')).status, 0);
  assert.equal((await a.adm('-S -n')).stdout, '');
  assert.equal((await a.adm('-R', saved)).status, 0);
  assert.equal((await a.adm('-S -n')).stdout, saved);
});

test('restart restores the rules from the state file; a corrupt one is kept aside', async (t) => {
  const dir = tempDir(t);
  const state = join(dir, 'state');
  const d1 = await startDaemon(t, dir, ['--state', state]);
  for (const line of [
    '-A -t 10.0.0.1:80 -s wrr',
    '-a -t 10.0.0.1:80 -r 10.0.0.11:80 -m -w 4',
    '-a -t 10.0.0.1:80 -r 10.0.0.12:80 -m -w 3 -x 9',
    '-A -u 10.0.0.1:53 -s rr',
    '--set 100 10 30',
  ])
    assert.equal((await d1.adm(line)).status, 0, line);
  const before = [(await d1.adm('-Ln --nosort --thresholds')).stdout, (await d1.adm('-L --timeout')).stdout];
  assert.equal(await d1.stop(), 0);
  assert.equal(existsSync(d1.socket), false, 'the socket is removed on SIGTERM');
  const d2 = await startDaemon(t, dir, ['--state', state]);
  assert.deepEqual(
    [(await d2.adm('-Ln --nosort --thresholds')).stdout, (await d2.adm('-L --timeout')).stdout],
    before,
  );
  assert.equal(await d2.stop(), 0);

  writeFileSync(state, '-A -t 10.0.0.1:80 -s wrr\n-a -t 10.0.0.1:80 -r 10.0.0.11:99999\n');
  const d3 = await startDaemon(t, dir, ['--state', state]);
  assert.match(
    d3.log(),
    /state-corrupt state=\S+state error="\S+state:2: illegal real server address\[:port\] specified" movedTo=\S+state\.corrupt-\d{8}T\d{6}Z/,
  );
  const aside = readdirSync(dir).filter((n) => n.startsWith('state.corrupt-'));
  assert.equal(aside.length, 1);
  assert.equal(
    readFileSync(join(dir, aside[0]!), 'utf8'),
    '-A -t 10.0.0.1:80 -s wrr\n-a -t 10.0.0.1:80 -r 10.0.0.11:99999\n',
  );
  assert.equal((await d3.adm('-S -n')).stdout, '');
});

test('bad input: ipvsadm messages and statuses, nothing half-applied, the daemon goes on', async (t) => {
  const dir = tempDir(t);
  const d = await startDaemon(t, dir);
  await d.adm('-A -t 10.0.0.1:80 -s rr');
  await d.adm('-a -t 10.0.0.1:80 -r 10.0.0.2:80 -m');
  const saved = (await d.adm('-S -n')).stdout;
  const cases: [string, number, string][] = [
    ['-A -t 10.0.0.999:80', 2, 'illegal virtual server address[:port] specified'],
    ['-A -t 10.0.0.2:99999', 2, 'illegal virtual server address[:port] specified'],
    ['-a -t 10.0.0.1:80 -r nonsense', 2, 'illegal real server address[:port] specified'],
    ['-a -t 10.0.0.1:80 -r 10.0.0.3 -w 65536', 2, 'illegal weight specified'],
    ['-a -t 10.0.0.1:80 -r 10.0.0.3 -w -1', 2, 'illegal weight specified'],
    ['-a -t 10.0.0.1:80 -r 10.0.0.3 -x abc', 2, 'illegal u_threshold specified'],
    ['-a -t 10.0.0.1:80 -r 10.0.0.3 -y 5', 255, 'Numerical result out of range'],
    ['-A -t 10.0.0.2:80 -s nosuch', 255, 'Scheduler or persistence engine not found'],
    ['-A -t 10.0.0.1:80 -s rr', 255, 'Service already exists'],
    ['-a -t 10.0.0.1:80 -r 10.0.0.2:80 -m', 255, 'Destination already exists'],
    ['-E -t 10.0.0.9:80 -s rr', 255, 'No such service'],
    ['-D -t 10.0.0.9:80', 255, 'No such service'],
    ['-a -t 10.0.0.9:80 -r 10.0.0.2', 255, 'Service not defined'],
    ['-e -t 10.0.0.1:80 -r 10.0.0.7:80', 255, 'No such destination'],
    ['-d -t 10.0.0.1:80 -r 10.0.0.7:80', 255, 'No such destination'],
    ['-A -t 10.0.0.3:80 -w 2', 2, "Illegal 'weight' option with the 'add-service' command"],
    ['-a -t 10.0.0.1:80', 2, "You need to supply the 'real-server' option for the 'add-server' command"],
    ['-A -t 10.0.0.3:80 -D', 2, 'multiple commands specified'],
    ['-g -m -a -t 10.0.0.1:80 -r 10.0.0.3', 2, "multiple 'forwarding-method' options specified"],
    ['--set 1 2', 2, '--set option requires 3 timeout values'],
    ['-L -t 10.0.0.9:80', 1, 'No such service'],
    ['-A -u 10.0.0.1:0 -s rr', 2, 'Zero port specified for non-persistent service'],
    ['-A -t 10.0.0.3:80 -o', 2, 'One-Packet Scheduling is only for UDP virtual services'],
  ];
  // All refused, so they cannot interfere: run them side by side.
  const results = await Promise.all(cases.map(([line]) => d.adm(line)));
  cases.forEach(([line, status, msg], i) => {
    const r = results[i]!;
    assert.deepEqual([r.status, r.stderr, r.stdout], [status, `${msg}\n`, ''], line);
  });
  let r = await d.adm('-Q');
  assert.equal(r.status, 255);
  // -R goes on after a bad line, as ipvsadm -R does, and reports each one.
  r = await d.adm(
    '-R',
    '-A -t 10.0.0.5:80 -s rr\n-a -t 10.0.0.5:80 -r 10.0.0.6 -w 99999\n-A -t 10.0.0.1:80\n',
  );
  assert.deepEqual([r.status, r.stderr], [255, 'illegal weight specified\nService already exists\n']);
  assert.equal((await d.adm('-D -t 10.0.0.5:80')).status, 0);
  assert.equal((await d.adm('-S -n')).stdout, saved, 'nothing half-applied');
  assert.equal((await d.adm('-Ln')).status, 0, 'the daemon still answers');
  assert.doesNotMatch(d.log(), /\n\s+at /, 'no stack trace in the log');
});

test('bad --rules and --config files: FILE:LINE: message, non-zero exit, nothing listens', async (t) => {
  const dir = tempDir(t);
  const rules = join(dir, 'rules');
  writeFileSync(
    rules,
    '# rules\n-A -t 127.0.0.1:80 -s rr\n-a -t 127.0.0.1:80 -r 127.0.0.1:8080 -m -w 70000\n',
  );
  const sock = join(dir, 's.sock');
  let r = await runNode([TSVS, 'run', '--socket', sock, '--rules', rules]);
  assert.deepEqual([r.status, r.stderr], [2, `tsvs run: ${rules}:3: illegal weight specified\n`]);
  assert.equal(existsSync(sock), false);
  writeFileSync(rules, '-A -t 127.0.0.1:80 -s rr\n-A -t 127.0.0.1:80 -s wrr\n');
  r = await runNode([TSVS, 'run', '--socket', sock, '--rules', rules]);
  assert.deepEqual([r.status, r.stderr], [255, `tsvs run: ${rules}:2: Service already exists\n`]);
  const conf = join(dir, 'conf');
  writeFileSync(conf, 'fwmark 99 tcp 127.0.0.1:80\nproxy-protocol v3 -f 99\n');
  r = await runNode([TSVS, 'run', '--socket', sock, '--config', conf]);
  assert.deepEqual(
    [r.status, r.stderr],
    [1, `tsvs run: ${conf}:2: expected proxy-protocol v1|v2 SERVICE, got 'v3'\n`],
  );
  r = await runNode([TSVS, 'run', '--socket', sock, '--rules', join(dir, 'missing')]);
  assert.deepEqual(
    [r.status, r.stderr],
    [1, `tsvs run: cannot read rules file ${join(dir, 'missing')} (ENOENT)\n`],
  );
  r = await runNode([TSVS, 'run', '--bogus']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^tsvs run: unknown option '--bogus'\nUsage: tsvs run/);
  r = await runNode([TSVS, 'run', '--plane', 'warp']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown plane 'warp' \(proxy or packet\)/);
  assert.equal(existsSync(sock), false);
});

test('no daemon: a clear message; a second daemon on a live socket is refused', async (t) => {
  const dir = tempDir(t);
  const none = join(dir, 'none.sock');
  let r = await runNode([TSVSADM, '-Ln'], { env: { ...process.env, TSVS_SOCKET: none } });
  assert.deepEqual(
    [r.status, r.stderr],
    [
      2,
      `tsvsadm: no tsvs daemon answers on ${none} (connect ENOENT); start one with: tsvs run  (or set TSVS_SOCKET / --socket)\n`,
    ],
  );
  r = await runNode([TSVSADM, '--socket', none, '-A', '-t', '10.0.0.1:80']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /no tsvs daemon answers on .*none\.sock/);
  // -h, -v and parse errors need no daemon.
  r = await runNode([TSVSADM, '-v'], { env: { ...process.env, TSVS_SOCKET: none } });
  assert.deepEqual([r.status, r.stdout], [0, 'tsvsadm v0.1.0 (ipvsadm v1.31 grammar, IPVS v1.2.1)\n']);
  r = await runNode([TSVSADM, '-A', '-t', '10.0.0.1:80', '-w', '1'], {
    env: { ...process.env, TSVS_SOCKET: none },
  });
  assert.deepEqual([r.status, r.stderr], [2, "Illegal 'weight' option with the 'add-service' command\n"]);
  r = await runNode([TSVSADM, '-K'], { env: { ...process.env, TSVS_SOCKET: none } });
  assert.equal(r.status, 255);

  const d = await startDaemon(t, dir, ['--log-format', 'json']);
  const first = JSON.parse(d.log().split('\n')[0]!) as Record<string, unknown>;
  assert.equal(first.event, 'started');
  assert.equal(first.socket, d.socket);
  r = await runNode([TSVS, 'run', '--socket', d.socket, '--no-state']);
  assert.deepEqual(
    [r.status, r.stderr],
    [
      1,
      `tsvs run: a tsvs daemon already answers on ${d.socket}; stop it first, or give this one another --socket (or TSVS_SOCKET)\n`,
    ],
  );
  assert.equal((await d.adm('-Ln')).status, 0, 'the first one is untouched');
  r = await runNode([TSVS, '-h']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^Usage: tsvs COMMAND/);
  r = await runNode([TSVS, 'run', '-h']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /--socket PATH/);
  r = await runNode([TSVS, 'frobnicate']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^tsvs: unknown command 'frobnicate'\n/);
});
