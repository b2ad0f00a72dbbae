// Regenerates the DNS/NTP/syslog/BOOTP goldens: crafted captures (craft.ts), real captures made in
// throw-away network namespaces (--live: our DNS server and dnsmasq queried by dig over UDP and TCP,
// NTP, logger; dnsmasq serving udhcpc over a veth pair; keepalived's VRRP adverts), and the expected
// text of Debian's tcpdump 4.99.3 for each capture and flag set. pcap/upstream-*.pcap are kept as
// they are: tcpdump's own test savefiles for these protocols (LICENSE-upstream-pcaps).
// usage (root for --live): node --import tsx test/golden/tcpdump/dns/regen.ts [--live]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCraftedCaptures } from './craft.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const PCAP_DIR = join(HERE, 'pcap');
const OUT_DIR = join(HERE, 'out');

/** Flag sets every capture is printed with. */
const FLAG_SETS: string[][] = [[], ['-v'], ['-vv'], ['-vvv']];
/** Extra (capture, flags) rows. */
const EXTRA: [string, string[]][] = [
  ['real-dns.pcap', ['-vv', '-T', 'domain']],
  ['real-dns.pcap', ['-q']],
  ['crafted-dns.pcap', ['-e']],
  ['real-dns.pcap', ['-x']],
  ['crafted-dns.pcap', ['-X', '-vv']],
  ['real-dns-s80.pcap', ['-A']],
  ['real-dhcp.pcap', ['-e', '-vvv']],
  ['crafted-dhcp6.pcap', ['-xx', '-v']],
];

function run(cmd: string, args: string[], allowFail = false): string {
  const r = spawnSync(cmd, args, { encoding: 'latin1', env: { ...process.env, TZ: 'GMT0' } });
  if (r.status !== 0 && !allowFail) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  }
  return r.stdout;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Real traffic on the loopback of a namespace of our own, captured by tcpdump -w. */
async function liveCaptures(): Promise<void> {
  const ns = `tsvs-dns-${process.pid}`;
  const inNs = (cmd: string, args: string[], allowFail = false): string =>
    run('ip', ['netns', 'exec', ns, cmd, ...args], allowFail);
  const children: ReturnType<typeof spawn>[] = [];
  run('ip', ['netns', 'add', ns]);
  try {
    inNs('ip', ['link', 'set', 'lo', 'up', 'multicast', 'on']);
    inNs('ip', ['route', 'add', '224.0.0.0/4', 'dev', 'lo']);
    const filter = 'udp or icmp or icmp6 or (tcp and port 53) or (tcp and port 5300)';
    // the same traffic twice: whole packets, and cut at 80 bytes (truncated DNS, ` [|domain]`)
    for (const [file, snap] of [
      ['real-dns.pcap', '262144'],
      ['real-dns-s80.pcap', '80'],
    ] as const) {
      const dump = spawn(
        'ip',
        ['netns', 'exec', ns, 'tcpdump', '-i', 'lo', '-U', '-s', snap, '-w', join(PCAP_DIR, file), filter],
        {
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      children.push(dump);
      await waitFor(dump, 'listening', 5000);
    }
    const server = spawn(
      'ip',
      ['netns', 'exec', ns, process.execPath, '--import', 'tsx', join(HERE, 'server.ts'), '127.0.0.1'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    children.push(server);
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('DNS server did not start within 10 s')), 10000);
      server.stdout!.on('data', (d: Buffer) => {
        if (d.toString().includes('ready')) {
          clearTimeout(t);
          resolve();
        }
      });
    });
    const dig = (...a: string[]): void => {
      inNs('dig', ['@127.0.0.1', '+tries=1', '+time=2', ...a], true);
    };
    dig('example.test', 'A', '+noedns');
    dig('example.test', 'AAAA');
    dig('example.test', 'MX', '+nocookie');
    dig('example.test', 'TXT', '+dnssec');
    dig('_sip._udp.example.test', 'SRV', '+subnet=192.0.2.0/24');
    dig('www.example.test', 'A', '+nsid');
    dig('-x', '192.0.2.1');
    dig('nothere.example.test', 'A');
    dig('example.test', 'SOA', '+cd', '+adflag');
    dig('other.zone', 'A', '+norecurse');
    dig('example.test', 'NS', '+tcp');
    dig('big.example.test', 'TXT', '+noedns'); // truncated over UDP, retried over TCP
    dig('-p', '5300', 'example.test', 'A', '+noedns'); // only -T domain decodes this port
    // mDNS: a query for host.local with the QU bit, answered to the group with cache-flush records
    inNs(process.execPath, ['-e', MDNS_QUERY]);
    // nobody listens on 127.0.0.2:53: the ICMP port unreachable quotes the query
    inNs('dig', ['@127.0.0.2', '+tries=1', '+time=1', 'example.test', 'A'], true);
    // over IPv6
    inNs('dig', ['@::1', '+tries=1', '+time=2', 'example.test', 'AAAA'], true);
    inNs('dig', ['@::1', '+tries=1', '+time=2', '+tcp', 'example.test', 'MX'], true);
    // NTP client exchange, syslog messages
    inNs(process.execPath, ['-e', NTP_CLIENT]);
    const logger = (args: string[]): void => {
      const r = spawnSync('ip', ['netns', 'exec', ns, 'logger', ...args], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`logger failed: ${r.stderr}`);
    };
    logger(['-n', '127.0.0.1', '-P', '514', '-d', '-p', 'local0.info', '-t', 'tsvs', 'hello from logger']);
    logger([
      '-n',
      '127.0.0.1',
      '-P',
      '514',
      '-d',
      '--rfc5424',
      '-p',
      'auth.warning',
      '-t',
      'tsvs',
      'rfc5424 message',
    ]);
    logger(['-n', '127.0.0.1', '-P', '514', '-d', '-p', 'mail.err', 'tab\there']);
    await sleep(2500);
  } finally {
    for (const c of children.reverse()) c.kill('SIGINT');
    await sleep(500);
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    run('ip', ['netns', 'del', ns], true);
  }
}

/** dig against dnsmasq (another server's answers: its compression, flags and record layouts). */
async function liveDnsmasq(): Promise<void> {
  const ns = `tsvs-dnsmasq-${process.pid}`;
  const tmp = `/tmp/tsvs-dnsmasq-dns-${process.pid}`;
  const children: ReturnType<typeof spawn>[] = [];
  run('ip', ['netns', 'add', ns]);
  try {
    run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    const dump = spawn(
      'ip',
      [
        'netns',
        'exec',
        ns,
        'tcpdump',
        '-i',
        'lo',
        '-U',
        '-w',
        join(PCAP_DIR, 'real-dnsmasq.pcap'),
        'port 53',
      ],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    children.push(dump);
    await waitFor(dump, 'listening', 5000);
    const dnsmasq = spawn(
      'ip',
      [
        'netns',
        'exec',
        ns,
        'dnsmasq',
        '--no-daemon',
        '--no-resolv',
        '--no-hosts',
        '--listen-address=127.0.0.1',
        '--bind-interfaces',
        `--pid-file=${tmp}.pid`,
        '--address=/wild.test/192.0.2.7',
        '--host-record=www.dm.test,192.0.2.10,2001:db8::10',
        '--mx-host=dm.test,mail.dm.test,5',
        '--txt-record=dm.test,v=spf1 mx -all,second',
        '--srv-host=_ldap._tcp.dm.test,ldap.dm.test,389,0,100',
        '--cname=alias.dm.test,www.dm.test',
        '--ptr-record=10.2.0.192.in-addr.arpa,www.dm.test',
        '--caa-record=dm.test,0,issue,letsencrypt.org',
        '--auth-zone=dm.test',
        '--auth-server=ns.dm.test',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    children.push(dnsmasq);
    await waitFor(dnsmasq, 'cleared cache', 5000);
    const queries = [
      ['www.dm.test', 'A'],
      ['www.dm.test', 'AAAA'],
      ['dm.test', 'MX'],
      ['dm.test', 'TXT'],
      ['_ldap._tcp.dm.test', 'SRV'],
      ['alias.dm.test', 'A'],
      ['-x', '192.0.2.10'],
      ['dm.test', 'CAA'],
      ['x.wild.test', 'A'],
      ['nope.dm.test', 'A'],
      ['dm.test', 'SOA'],
      ['dm.test', 'ANY'],
      ['+tcp', 'www.dm.test', 'A'],
    ];
    for (const q of queries)
      run('ip', ['netns', 'exec', ns, 'dig', '@127.0.0.1', '+tries=1', '+time=1', ...q], true);
    await sleep(2500);
  } finally {
    for (const c of children.reverse()) c.kill('SIGINT');
    await sleep(500);
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    run('ip', ['netns', 'del', ns], true);
  }
}

/** A real DHCP exchange: dnsmasq in one namespace, udhcpc in another, over a veth pair. */
async function liveDhcp(): Promise<void> {
  const srv = `tsvs-dhcps-${process.pid}`;
  const cli = `tsvs-dhcpc-${process.pid}`;
  const children: ReturnType<typeof spawn>[] = [];
  run('ip', ['netns', 'add', srv]);
  try {
    run('ip', ['netns', 'add', cli]);
    run('ip', ['link', 'add', 's0', 'netns', srv, 'type', 'veth', 'peer', 'name', 'c0', 'netns', cli]);
    run('ip', ['-n', srv, 'addr', 'add', '192.0.2.1/24', 'dev', 's0']);
    run('ip', ['-n', srv, 'link', 'set', 's0', 'up']);
    run('ip', ['-n', cli, 'link', 'set', 'c0', 'up']);
    const dump = spawn(
      'ip',
      ['netns', 'exec', srv, 'tcpdump', '-i', 's0', '-U', '-w', join(PCAP_DIR, 'real-dhcp.pcap'), 'udp'],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    children.push(dump);
    await waitFor(dump, 'listening', 5000);
    const tmp = `/tmp/tsvs-dnsmasq-${process.pid}`;
    const dnsmasq = spawn(
      'ip',
      [
        'netns',
        'exec',
        srv,
        'dnsmasq',
        '--no-daemon',
        '--port=0',
        '--interface=s0',
        '--bind-interfaces',
        '--dhcp-range=192.0.2.50,192.0.2.60,1h',
        '--dhcp-option=option:domain-name,example.test',
        '--dhcp-option=option:dns-server,192.0.2.1',
        '--dhcp-option=option:ntp-server,192.0.2.1',
        `--pid-file=${tmp}.pid`,
        `--dhcp-leasefile=${tmp}.leases`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    children.push(dnsmasq);
    await waitFor(dnsmasq, 'sockets bound', 5000);
    const dhcp = spawnSync(
      'ip',
      [
        'netns',
        'exec',
        cli,
        'timeout',
        '10',
        'udhcpc',
        '-i',
        'c0',
        '-n',
        '-q',
        '-f',
        '-R',
        '-s',
        '/bin/true',
        '-x',
        'hostname:tsvs-client',
        '-V',
        'tsvs',
      ],
      { encoding: 'utf8' },
    );
    if (dhcp.status !== 0) throw new Error(`udhcpc failed (${dhcp.status}): ${dhcp.stderr}`);
    await sleep(2500);
  } finally {
    for (const c of children.reverse()) c.kill('SIGINT');
    await sleep(500);
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    run('ip', ['netns', 'del', cli], true);
    run('ip', ['netns', 'del', srv], true);
  }
}

/** keepalived advertisements (VRRPv2 with a simple password, VRRPv3 with two addresses). */
async function liveVrrp(): Promise<void> {
  const a = `tsvs-vrrpa-${process.pid}`;
  const b = `tsvs-vrrpb-${process.pid}`;
  const tmp = `/tmp/tsvs-keepalived-${process.pid}`;
  const children: ReturnType<typeof spawn>[] = [];
  run('ip', ['netns', 'add', a]);
  try {
    run('ip', ['netns', 'add', b]);
    run('ip', ['link', 'add', 'va', 'netns', a, 'type', 'veth', 'peer', 'name', 'vb', 'netns', b]);
    run('ip', ['-n', a, 'addr', 'add', '192.0.2.1/24', 'dev', 'va']);
    run('ip', ['-n', a, 'link', 'set', 'va', 'up']);
    run('ip', ['-n', b, 'link', 'set', 'vb', 'up']);
    writeFileSync(`${tmp}.conf`, KEEPALIVED_CONF);
    const dump = spawn(
      'ip',
      ['netns', 'exec', b, 'tcpdump', '-i', 'vb', '-U', '-w', join(PCAP_DIR, 'real-vrrp.pcap'), 'proto 112'],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    children.push(dump);
    await waitFor(dump, 'listening', 5000);
    // keepalived starts as backup and takes over after ~3.6 s (3 x advert_int + skew)
    run(
      'ip',
      [
        'netns',
        'exec',
        a,
        'timeout',
        '7',
        'keepalived',
        '-n',
        '-D',
        '-f',
        `${tmp}.conf`,
        '-p',
        `${tmp}.pid`,
        '-r',
        `${tmp}.vrrp.pid`,
        '-c',
        `${tmp}.chk.pid`,
      ],
      true,
    );
    await sleep(2500);
  } finally {
    for (const c of children) c.kill('SIGINT');
    await sleep(500);
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    run('ip', ['netns', 'del', b], true);
    run('ip', ['netns', 'del', a], true);
  }
}

const KEEPALIVED_CONF = `
vrrp_instance V2 {
  state MASTER
  interface va
  virtual_router_id 51
  priority 150
  advert_int 1
  authentication {
    auth_type PASS
    auth_pass tsvs
  }
  virtual_ipaddress {
    192.0.2.100/24
  }
}
vrrp_instance V3 {
  state MASTER
  interface va
  version 3
  virtual_router_id 52
  priority 120
  advert_int 1
  virtual_ipaddress {
    192.0.2.101/24
    192.0.2.102/24
  }
}
`;

/** Resolves when `text` appears on the child's stderr, rejects after ms. */
function waitFor(child: ReturnType<typeof spawn>, text: string, ms: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`'${text}' not seen within ${ms} ms`)), ms);
    child.stderr!.on('data', (d: Buffer) => {
      if (d.toString().includes(text)) {
        clearTimeout(t);
        resolve();
      }
    });
  });
}

/** One mDNS question (host.local A, QU bit) from port 5353 to 224.0.0.251, then a 1 s wait. */
const MDNS_QUERY = `
const d = require('node:dgram').createSocket({ type: 'udp4', reuseAddr: true });
const q = Buffer.from([0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 4, 104, 111, 115, 116, 5, 108, 111, 99, 97, 108, 0, 0, 1, 0x80, 1]);
d.bind(5353, () => { d.setMulticastInterface('127.0.0.1'); d.send(q, 5353, '224.0.0.251'); setTimeout(() => d.close(), 1000); });
`;

/** An NTP client (mode 3) that sends one request and waits up to 2 s for the answer. */
const NTP_CLIENT = `
const d = require('node:dgram').createSocket('udp4');
const b = Buffer.alloc(48); b[0] = 0x23; b[2] = 6; b[3] = 0xe9;
const t = Date.now() / 1000 + 2208988800; b.writeUInt32BE(Math.floor(t), 40); b.writeUInt32BE(Math.floor((t % 1) * 4294967296), 44);
d.on('message', () => d.close()); d.send(b, 123, '127.0.0.1'); setTimeout(() => { try { d.close(); } catch {} }, 2000).unref();
`;

async function main(): Promise<void> {
  mkdirSync(PCAP_DIR, { recursive: true });
  mkdirSync(OUT_DIR, { recursive: true });
  writeCraftedCaptures(PCAP_DIR);
  if (process.argv.includes('--live')) {
    await liveCaptures();
    await liveDnsmasq();
    await liveDhcp();
    await liveVrrp();
  } else if (!existsSync(join(PCAP_DIR, 'real-dns.pcap')))
    console.error('note: no real-dns.pcap (run with --live as root)');
  const pcaps = readdirSync(PCAP_DIR)
    .filter((f) => f.endsWith('.pcap'))
    .sort();
  const rows: [string, string[]][] = [];
  for (const p of pcaps) for (const f of FLAG_SETS) rows.push([p, f]);
  for (const [p, f] of EXTRA) if (pcaps.includes(p)) rows.push([p, f]);
  const header = 'name\tpcap\toptions\texpected\n';
  let all = header;
  let passing = header;
  const tsdump = join(HERE, '../../../../dist/cli/tsdump.js');
  const failing: string[] = [];
  for (const [pcap, flags] of rows) {
    const options = ['-n', ...flags];
    const name = `${pcap.replace(/\.pcap$/, '')}${flags.join('').replace(/\s+/g, '')}`;
    const out = run('tcpdump', ['-r', join(PCAP_DIR, pcap), ...options]);
    writeFileSync(join(OUT_DIR, `${name}.out`), out, 'latin1');
    const row = `${name}\tpcap/${pcap}\t${options.join(' ')}\tout/${name}.out\n`;
    all += row;
    // cases.tsv (run by the tsdump golden runner in CI) only takes rows tsdump already matches.
    // up to 3 tries: dist/ may be in the middle of a rebuild by someone else
    let matched = false;
    for (let attempt = 0; attempt < 3 && !matched && existsSync(tsdump); attempt++) {
      matched = run(process.execPath, [tsdump, '-r', join(PCAP_DIR, pcap), ...options], true) === out;
      if (!matched) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
    if (matched) passing += row;
    else failing.push(name);
  }
  writeFileSync(join(HERE, 'printers.tsv'), all);
  writeFileSync(join(HERE, 'cases.tsv'), passing);
  console.log(
    `${rows.length} cases in printers.tsv, ${rows.length - failing.length} passing tsdump in cases.tsv`,
  );
  if (failing.length > 0) console.log(`not yet matched by tsdump: ${failing.join(' ')}`);
}

await main();
