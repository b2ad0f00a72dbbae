// ipvsadm rule files (the `ipvsadm -S -n` / ipvsadm-restore format) as the daemon uses them:
// validated all-or-nothing in a scratch director, written as state text, and turned into the
// smallest list of ipvsadm commands that makes a live director match them (SIGHUP, --rules).
//
// Line order of `rulesText` is the kernel's add order (the reverse of its list order), not -S's
// sorted order, so that restoring a state file rebuilds the same real-server list order and the
// same rr/wrr sequences; thresholds (-x/-y) are kept too, which plain -S drops.

import type { DirectorSnapshot, ServiceSnapshot } from '../../director/index.js';
import { Director, sortRealsIpvsadm } from '../../director/index.js';
import { TsvsError } from '../../errors.js';
import { executeIpvsadm } from '../ipvsadm/execute.js';
import { formatSave, NUMERIC } from '../ipvsadm/format.js';
import { type CommandName, type PortResolver, parseIpvsadm, splitRestoreLine } from '../ipvsadm/grammar.js';

/** One rule line with where it came from (for `file:line: message`). */
export interface RuleLine {
  file: string;
  line: number;
  argv: string[];
}

/** Commands that may appear in a rules file: the ones that build rules. */
const RULE_COMMANDS: ReadonlySet<CommandName> = new Set<CommandName>([
  'add-service',
  'edit-service',
  'delete-service',
  'flush',
  'add-server',
  'edit-server',
  'delete-server',
  'set',
]);

/** Rule lines of an ipvsadm-restore text (blank lines and `#` comments skipped). */
export function ruleLines(text: string, file: string): RuleLine[] {
  const out: RuleLine[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const argv = splitRestoreLine(lines[i]!);
    if (argv) out.push({ file, line: i + 1, argv });
  }
  return out;
}

/** A small director for checking rules (no connection table worth speaking of). */
export function scratchDirector(): Director {
  return new Director({ connCapacity: 64 });
}

/**
 * Apply every line to `d` in order; the first refusal throws a TsvsError
 * `file:line: <ipvsadm's message>` whose exitStatus is ipvsadm's (2 parser, 255 kernel refusal).
 * Callers pass a scratch director so that a bad line leaves the live one untouched.
 */
export function applyRuleLines(d: Director, lines: readonly RuleLine[], ports?: PortResolver): void {
  for (const l of lines) {
    const where = `${l.file}:${l.line}`;
    const p = parseIpvsadm(l.argv, 'tsvsadm', ports);
    if (!p.ok) throw new TsvsError('TSVS_ERR_RULES', `${where}: ${p.error.message}`, p.error.status);
    if (!RULE_COMMANDS.has(p.command.cmd))
      throw new TsvsError(
        'TSVS_ERR_RULES',
        `${where}: '${l.argv.join(' ')}' is not a rule (a rules file holds -A -E -D -C -a -e -d --set lines)`,
        2,
      );
    const r = executeIpvsadm(d, l.argv, { now: 0, prog: 'tsvsadm', ports });
    if (r.status !== 0) throw new TsvsError('TSVS_ERR_RULES', `${where}: ${r.stderr.trimEnd()}`, r.status);
  }
}

/** Build a director from rule lines, all or nothing (throws like applyRuleLines). */
export function buildRules(lines: readonly RuleLine[], ports?: PortResolver): Director {
  const d = scratchDirector();
  applyRuleLines(d, lines, ports);
  return d;
}

/** One service as argv lines: its `-A` line and one `-a` line per real (keyed by `-r` address). */
interface ServiceRules {
  /** The service words as -S writes them (`-t 10.0.0.1:80`, `-f 99 -6`). */
  svc: string[];
  add: string[];
  /** Real `-r` text -> its `-a` line (with -x/-y when set); in the kernel's add order. */
  reals: Map<string, string[]>;
}

function serviceRules(snap: DirectorSnapshot, s: ServiceSnapshot): ServiceRules {
  const text = formatSave({ ...snap, services: [s] }, NUMERIC);
  const lines = text.split('\n').filter((x) => x !== '');
  const add = lines[0]!.split(' ');
  const sIdx = add.indexOf('-s');
  const svc = add.slice(1, sIdx);
  // formatSave writes the reals sorted by address; zip them back to their snapshots.
  const sorted = sortRealsIpvsadm(s.reals);
  const byId = new Map<number, string[]>();
  for (let i = 0; i < sorted.length; i++) {
    const r = sorted[i]!;
    const words = lines[i + 1]!.split(' ');
    if (r.uThreshold > 0) words.push('-x', String(r.uThreshold));
    if (r.lThreshold > 0) words.push('-y', String(r.lThreshold));
    byId.set(r.id, words);
  }
  const reals = new Map<string, string[]>();
  // Kernel list order is newest first: add them oldest first to rebuild the same list.
  for (let i = s.reals.length - 1; i >= 0; i--) {
    const words = byId.get(s.reals[i]!.id)!;
    reals.set(words[words.indexOf('-r') + 1]!, words);
  }
  return { svc, add, reals };
}

function allRules(d: Director): Map<string, ServiceRules> {
  const snap = d.snapshot();
  const out = new Map<string, ServiceRules>();
  for (const s of snap.services) {
    const r = serviceRules(snap, s);
    out.set(r.svc.join(' '), r);
  }
  return out;
}

/**
 * The director's rules as ipvsadm-restore text: `-A`/`-a` lines (numeric) and a final
 * `--set tcp tcpfin udp` line. `tsvsadm -R` and `tsvs run --rules` read it back.
 */
export function rulesText(d: Director): string {
  let out = '';
  for (const r of allRules(d).values()) {
    out += `${r.add.join(' ')}\n`;
    for (const words of r.reals.values()) out += `${words.join(' ')}\n`;
  }
  const t = d.getTimeouts();
  out += `--set ${t.tcp} ${t.tcpfin} ${t.udp}\n`;
  return out;
}

function sameWords(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((w, i) => w === b[i]);
}

/**
 * ipvsadm commands that turn `live` into `desired`, touching only what differs: services and
 * reals that are the same keep their scheduler state and connections. Order: deleted services,
 * then per kept service an -E if its settings changed, deleted reals, edited reals, new reals; then
 * new services with their reals; then --set if the timeouts differ.
 */
export function diffRules(live: Director, desired: Director): string[][] {
  const a = allRules(live);
  const b = allRules(desired);
  const cmds: string[][] = [];
  for (const [key, r] of a) if (!b.has(key)) cmds.push(['-D', ...r.svc]);
  for (const [key, want] of b) {
    const have = a.get(key);
    if (!have) continue;
    if (!sameWords(have.add, want.add)) cmds.push(['-E', ...want.add.slice(1)]);
    for (const [addr, words] of have.reals)
      if (!want.reals.has(addr)) cmds.push(['-d', ...words.slice(1, words.indexOf('-r') + 2)]);
    for (const [addr, words] of want.reals) {
      const old = have.reals.get(addr);
      if (old && !sameWords(old, words)) cmds.push(['-e', ...words.slice(1)]);
    }
    for (const [addr, words] of want.reals) if (!have.reals.has(addr)) cmds.push(words);
  }
  for (const [key, want] of b) {
    if (a.has(key)) continue;
    cmds.push(want.add);
    for (const words of want.reals.values()) cmds.push(words);
  }
  const t0 = live.getTimeouts();
  const t1 = desired.getTimeouts();
  if (t0.tcp !== t1.tcp || t0.tcpfin !== t1.tcpfin || t0.udp !== t1.udp)
    cmds.push(['--set', String(t1.tcp), String(t1.tcpfin), String(t1.udp)]);
  return cmds;
}
