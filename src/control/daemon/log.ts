// The daemon's log: one line per event, text (`TIME tsvs EVENT key=value ...`) or JSON
// (`{"time":...,"event":...,...}`). The writer is injected (cli/ passes stderr).

import type { PlaneLog } from '../../dataplane/plane.js';

export type LogFormat = 'text' | 'json';

function textValue(v: string | number | boolean): string {
  const s = String(v);
  return /^[^\s"=]+$/.test(s) ? s : JSON.stringify(s);
}

/** A PlaneLog that formats each event as one line and hands it to `write`. */
export function createLog(
  format: LogFormat,
  write: (line: string) => void,
  clock = () => new Date(),
): PlaneLog {
  return (event, fields) => {
    const time = clock().toISOString();
    if (format === 'json') {
      write(`${JSON.stringify({ time, event, ...fields })}\n`);
      return;
    }
    let line = `${time} tsvs ${event}`;
    for (const [k, v] of Object.entries(fields)) line += ` ${k}=${textValue(v)}`;
    write(`${line}\n`);
  };
}
