// Runs runLive() (tsdump's live session) with options from argv[2] as JSON; prints READY on the real
// stderr once listening, and at the end one JSON line {status, stdout, stderr} of what it wrote.
import { runLive } from '../../../src/cli/tsdump/live-session.js';

const o = JSON.parse(process.argv[2]);
let stdout = '';
let stderr = '';
const status = await runLive({
  program: 'tsdump',
  live: o.live,
  expression: o.expression ?? '',
  optimize: true,
  count: o.count ?? 0,
  verbose: o.verbose ?? false,
  write: o.write,
  print: o.print
    ? (rec) => {
        stdout += `${Buffer.from(rec.buf.subarray(rec.off, rec.off + rec.caplen)).toString('hex')}\n`;
      }
    : undefined,
  stdout: (s) => {
    stdout += s;
  },
  stderr: (s) => {
    stderr += s;
    if (s.includes('listening on')) process.stderr.write('READY\n');
  },
});
process.stdout.write(`${JSON.stringify({ status, stdout, stderr })}\n`);
