// `tsvs demo`: the director with nothing to set up and no root. Three HTTP real servers on
// 127.0.0.1 answer "real server N", a wrr virtual service on 127.0.0.1:8080 (weights 3/2/1) runs
// through the proxy plane, and the control socket lives in a temp directory for tsvsadm.
// `--requests N` makes N requests itself, prints the answers and the listing, then exits.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, get, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Daemon } from '../../control/daemon/daemon.js';
import { createLog } from '../../control/daemon/log.js';
import { isTsvsError } from '../../errors.js';
import { planeFactory } from './planes.js';

export const DEMO_USAGE = `Usage: tsvs demo [--port N] [--requests N] [--verbose]
  Three HTTP real servers on 127.0.0.1 ("real server 1..3"), a wrr virtual service on
  127.0.0.1:8080 with weights 3/2/1 through the proxy plane, a control socket for tsvsadm.
Options:
  --port N       virtual service port (default 8080)
  --requests N   make N requests, print the answers and the listing, then exit
  --verbose      print the daemon's log lines
  -h, --help
`;

const WEIGHTS = [3, 2, 1];
const REAL_PORTS = [18081, 18082, 18083];

function portOf(text: string, what: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 65535)
    throw new Error(`${what} takes a port 1..65535, got '${text}'`);
  return Number(text);
}

/** True when 127.0.0.1:port can be bound now. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createTcpServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

function realServer(n: number, port: number): Promise<Server> {
  const body = `real server ${n}\n`;
  const server = createHttpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
    res.end(body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE' && port !== 0)
        resolve(realServer(n, 0)); // fixed port busy: any port
      else reject(e);
    });
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

function fetchOnce(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 5000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve(text));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 5 s')));
    req.on('error', reject);
  });
}

/** How to run tsvsadm from here: `node ./dist/cli/tsvsadm.js` beside this build, else `tsvsadm`. */
function tsvsadmCommand(): string {
  const js = join(dirname(fileURLToPath(import.meta.url)), '..', 'tsvsadm.js');
  if (!existsSync(js)) return 'tsvsadm'; // running from source (tsx): the installed command
  const rel = relative(process.cwd(), js);
  return `node ${rel.startsWith('.') || rel.startsWith('/') ? rel : `./${rel}`}`;
}

export async function demoMain(argv: readonly string[]): Promise<number> {
  let port = 8080;
  let requests: number | null = null;
  let verbose = false;
  try {
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === '-h' || a === '--help') {
        process.stdout.write(DEMO_USAGE);
        return 0;
      }
      if (a === '--verbose') verbose = true;
      else if (a === '--port' || a.startsWith('--port=')) {
        port = portOf(a === '--port' ? (argv[++i] ?? '') : a.slice(7), '--port');
      } else if (a === '--requests' || a.startsWith('--requests=')) {
        const v = a === '--requests' ? (argv[++i] ?? '') : a.slice(11);
        if (!/^\d+$/.test(v) || Number(v) > 100000)
          throw new Error(`--requests takes a count 0..100000, got '${v}'`);
        requests = Number(v);
      } else throw new Error(`unknown option '${a}'`);
    }
  } catch (e) {
    process.stderr.write(`tsvs demo: ${(e as Error).message}\n${DEMO_USAGE}`);
    return 2;
  }

  if (!(await portFree(port))) {
    process.stderr.write(
      `tsvs demo: 127.0.0.1:${port} is already in use by another program; choose another port, e.g. tsvs demo --port ${port === 8080 ? 8088 : port + 1}\n`,
    );
    return 1;
  }

  const servers: Server[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'tsvs-demo-'));
  const socket = join(dir, 'tsvs.sock');
  let daemon: Daemon | null = null;
  const cleanup = async () => {
    if (daemon) await daemon.stop();
    daemon = null;
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    }
    servers.length = 0;
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    for (let n = 1; n <= 3; n++) servers.push(await realServer(n, REAL_PORTS[n - 1]!));
    const write = (line: string) => process.stderr.write(line);
    const text = createLog('text', write);
    const planeProblems: string[] = [];
    daemon = await Daemon.start({
      socket,
      statePath: null,
      plane: await planeFactory('proxy'),
      planeName: 'proxy',
      drainMs: 1000,
      log: (event, fields) => {
        if (event === 'plane') planeProblems.push(String(fields.problem));
        if (verbose || event === 'plane' || event.endsWith('failed') || event === 'control-error')
          text(event, fields);
      },
    });
    const vip = `127.0.0.1:${port}`;
    const rules = [['-A', '-t', vip, '-s', 'wrr']];
    servers.forEach((s, i) => {
      const addr = s.address();
      const p = typeof addr === 'object' && addr ? addr.port : 0;
      rules.push(['-a', '-t', vip, '-r', `127.0.0.1:${p}`, '-m', '-w', String(WEIGHTS[i])]);
    });
    for (const argv of rules) {
      const r = await daemon.ipvsadm({ argv });
      if (r.status !== 0) throw new Error(`tsvsadm ${argv.join(' ')}: ${r.stderr.trim()}`);
    }
    if (planeProblems.length > 0) {
      process.stderr.write(
        `tsvs demo: the virtual service could not open: ${planeProblems.join('; ')}; try --port\n`,
      );
      await cleanup();
      return 1;
    }

    const adm = tsvsadmCommand();
    let intro = `tsvs demo: virtual service ${vip} (wrr) -> three real servers:\n`;
    servers.forEach((s, i) => {
      const a = s.address();
      intro += `  real server ${i + 1}  127.0.0.1:${typeof a === 'object' && a ? a.port : 0}  weight ${WEIGHTS[i]}\n`;
    });
    intro += `\nIn another terminal:\n  export TSVS_SOCKET=${socket}\n`;
    intro += `  for i in $(seq 12); do curl -s http://${vip}/; done\n`;
    intro += `  ${adm} -Ln\n  ${adm} -Ln --stats\n  ${adm} -Lnc\n`;
    if (requests === null) intro += '\nCtrl-C stops the demo.\n';
    process.stdout.write(`${intro}\n`);

    if (requests !== null) {
      for (let i = 1; i <= requests; i++) {
        const answer = await fetchOnce(port);
        process.stdout.write(`request ${i}: ${answer.endsWith('\n') ? answer : `${answer}\n`}`);
      }
      for (const argv of [['-Ln'], ['-Ln', '--stats']]) {
        const r = await daemon.ipvsadm({ argv });
        process.stdout.write(`\n$ tsvsadm ${argv.join(' ')}\n${r.stdout}`);
      }
      await cleanup();
      return 0;
    }
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    process.stdout.write('tsvs demo: stopping\n');
    await cleanup();
    return 0;
  } catch (e) {
    process.stderr.write(`tsvs demo: ${isTsvsError(e) || e instanceof Error ? e.message : String(e)}\n`);
    await cleanup().catch(() => undefined);
    return 1;
  }
}
