#!/usr/bin/env -S -u NODE_EXTRA_CA_CERTS node
// tsvsadm: ipvsadm 1.31's commands, options, output and exit statuses, run by the tsvs daemon.
// The argv goes to the daemon as is (POST /v1/ipvsadm), so listings and messages are the daemon's
// executeIpvsadm, byte for byte; -h, -v and parse errors are answered here without a daemon.
// The daemon is found through --socket PATH (removed from argv), $TSVS_SOCKET, or the default.
// The shebang drops NODE_EXTRA_CA_CERTS: this tool makes no TLS connection, and Node parses that
// bundle at every start (~70 ms of each run where it is set, as on the bench machine).

import { resolveSocket } from '../control/api.js';
import { DaemonUnreachable, remoteIpvsadm } from '../control/client.js';
import { executeIpvsadm } from '../control/ipvsadm/execute.js';
import { parseIpvsadm } from '../control/ipvsadm/grammar.js';
import { systemPorts } from '../control/names.js';
import { Director } from '../director/index.js';
import { isTsvsError } from '../errors.js';

const PROG = 'tsvsadm';

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

/** Write everything, then exit (stdout may be a pipe: let it drain). */
function finish(stdout: string, stderr: string, status: number): void {
  if (stderr) process.stderr.write(stderr);
  if (stdout) process.stdout.write(stdout, () => process.exit(status));
  else process.exit(status);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  let socketFlag: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--socket') {
      const v = argv[++i];
      if (v === undefined) return finish('', `${PROG}: --socket needs a path\n`, 2);
      socketFlag = v;
    } else if (a.startsWith('--socket=')) socketFlag = a.slice('--socket='.length);
    else rest.push(a);
  }
  const socket = resolveSocket(socketFlag);

  // What needs no director is answered here: help, version, and the parser's refusals.
  const parsed = parseIpvsadm(rest, PROG, systemPorts);
  if (!parsed.ok || parsed.command.cmd === 'help' || parsed.command.cmd === 'version') {
    const r = executeIpvsadm(new Director({ connCapacity: 16 }), rest, {
      now: 0,
      prog: PROG,
      ports: systemPorts,
    });
    return finish(r.stdout, r.stderr, r.status);
  }
  const req: { argv: string[]; stdin?: string; prog: string } = { argv: rest, prog: PROG };
  if (parsed.command.cmd === 'restore') req.stdin = await readStdin();
  try {
    const r = await remoteIpvsadm(socket, req);
    finish(r.stdout, r.stderr, r.status);
  } catch (e) {
    if (!isTsvsError(e)) throw e;
    let msg = `${PROG}: ${e.message}`;
    if (e instanceof DaemonUnreachable) {
      if (e.reason === 'EACCES')
        msg = `${PROG}: permission denied on ${socket}: the control socket is mode 0600, run ${PROG} as the daemon's user (e.g. with sudo)`;
      else msg += '; start one with: tsvs run  (or set TSVS_SOCKET / --socket)';
    }
    finish('', `${msg}\n`, e.exitStatus);
  }
}

// `tsvsadm -Ln | head -1`: a closed pipe ends the listing quietly, as for ipvsadm.
process.stdout.on('error', (e: NodeJS.ErrnoException) => process.exit(e.code === 'EPIPE' ? 0 : 1));

main().catch((e: unknown) => {
  process.stderr.write(`${PROG}: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(70);
});
