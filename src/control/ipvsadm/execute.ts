// Runs one ipvsadm invocation against a Director: parse, then apply (the director validates each
// operation fully before changing anything) or list. Returns ipvsadm's stdout, stderr and status.

import type { Director, Result } from '../../director/index.js';
import {
  formatConnections,
  formatList,
  formatSave,
  formatTimeouts,
  type NameResolver,
  NUMERIC,
  usageText,
  VERSION_LINE,
} from './format.js';
import { type IpvsadmCommand, type PortResolver, parseIpvsadm, splitRestoreLine } from './grammar.js';

export interface IpvsadmOutput {
  stdout: string;
  stderr: string;
  status: number;
  /** True when the rules changed (the daemon then saves its state file). */
  changed: boolean;
}

export interface ExecuteOptions {
  /** Program name for the "Try `PROG -h'" hint. */
  prog?: string;
  /** Input of `-R` (rules, one ipvsadm command per line). */
  stdin?: string;
  /** Clock for -Lc expiry times (ms, same origin as the data plane's). */
  now: number;
  /** Names for listings without -n (default: numeric). */
  names?: NameResolver;
  ports?: PortResolver;
}

function result<T>(r: Result<T>): { stderr: string; status: number } | null {
  return r.ok ? null : { stderr: `${r.error.message}\n`, status: r.error.exitStatus };
}

/** Apply one parsed command. `restoring` forbids -R inside -R. */
function apply(d: Director, c: IpvsadmCommand, o: ExecuteOptions, restoring: boolean): IpvsadmOutput {
  const out: IpvsadmOutput = { stdout: '', stderr: '', status: 0, changed: false };
  const names = o.names ?? NUMERIC;
  const refuse = (r: Result<unknown>, changes = true): IpvsadmOutput => {
    const e = result(r);
    if (e) return { ...out, ...e };
    return { ...out, changed: changes };
  };
  switch (c.cmd) {
    case 'help':
      return { ...out, stdout: usageText(o.prog ?? 'ipvsadm') };
    case 'version':
      return { ...out, stdout: `${VERSION_LINE}\n` };
    case 'add-service':
      return refuse(d.addService(c.service!, c.serviceConfig));
    case 'edit-service':
      return refuse(d.editService(c.service!, c.serviceConfig));
    case 'delete-service':
      return refuse(d.deleteService(c.service!));
    case 'flush':
      return refuse(d.clear());
    case 'add-server':
      return refuse(d.addServer(c.service!, c.real!));
    case 'edit-server':
      return refuse(d.editServer(c.service!, c.real!));
    case 'delete-server':
      return refuse(d.deleteServer(c.service!, c.real!.address, c.real!.port));
    case 'zero':
      return refuse(d.zero(c.service), false);
    case 'set':
      return refuse(d.setTimeouts(...c.timeouts!));
    case 'save':
      return { ...out, stdout: formatSave(d.snapshot(), c.list.numeric ? NUMERIC : names) };
    case 'start-daemon':
    case 'stop-daemon':
      return {
        ...out,
        stderr: 'tsvs has no connection sync daemon (ipvsadm --start-daemon is not supported)\n',
        status: 255,
      };
    case 'restore':
      if (restoring)
        return { ...out, stderr: 'The -R option cannot be used inside a restore file\n', status: 2 };
      return restore(d, o.stdin ?? '', o);
    case 'list': {
      const n = c.list.numeric ? NUMERIC : names;
      const snap = d.snapshot();
      if (c.list.connection) return { ...out, stdout: formatConnections(d.connections(o.now), n) };
      if (c.list.timeout) return { ...out, stdout: formatTimeouts(snap) };
      if (c.list.daemon) return out;
      if (c.service) {
        const id = d.findService(c.service);
        const s = snap.services.find((x) => x.id === id);
        if (id < 0 || !s) return { ...out, stderr: 'No such service\n', status: 1 };
        return { ...out, stdout: formatList(snap, c.list, n, s) };
      }
      return { ...out, stdout: formatList(snap, c.list, n) };
    }
  }
}

/** `-R`: each line is one command, processed independently; errors are reported and skipped. */
function restore(d: Director, text: string, o: ExecuteOptions): IpvsadmOutput {
  const out: IpvsadmOutput = { stdout: '', stderr: '', status: 0, changed: false };
  for (const line of text.split('\n')) {
    const words = splitRestoreLine(line);
    if (!words) continue;
    const p = parseIpvsadm(words, o.prog, o.ports);
    if (!p.ok) {
      out.stderr += `${p.error.message}\n`;
      out.status = p.error.status;
      continue;
    }
    const r = apply(d, p.command, o, true);
    out.stdout += r.stdout;
    out.stderr += r.stderr;
    if (r.status !== 0) out.status = r.status;
    out.changed ||= r.changed;
  }
  return out;
}

/** One ipvsadm invocation (argv without the program name). */
export function executeIpvsadm(d: Director, argv: readonly string[], o: ExecuteOptions): IpvsadmOutput {
  const p = parseIpvsadm(argv, o.prog, o.ports);
  if (!p.ok) return { stdout: '', stderr: `${p.error.message}\n`, status: p.error.status, changed: false };
  return apply(d, p.command, o, false);
}
