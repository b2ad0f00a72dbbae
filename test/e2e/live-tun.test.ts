// TUN end to end: ping answered by a TypeScript responder through io/tun.ts inside a namespace.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { netnsSkipReason, ROOT } from './live/netns.js';

const ECHO = fileURLToPath(new URL('./live/tun-echo.ts', import.meta.url));

test('TUN: open, poll, batched read and write answer 5 pings', { skip: netnsSkipReason() }, async () => {
  const ns = `tsvs-tun-${process.pid}`;
  spawnSync('ip', ['netns', 'add', ns]);
  try {
    spawnSync('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up']);
    const echo = spawn(
      'ip',
      [
        'netns',
        'exec',
        ns,
        process.execPath,
        '--import',
        'tsx',
        ECHO,
        'tsvstun%d',
        '10.78.0.1/24',
        '10.78.0.2',
        '5',
      ],
      { cwd: ROOT },
    );
    let out = '';
    let err = '';
    echo.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    echo.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    for (let i = 0; i < 100 && !out.includes('READY'); i++) await new Promise((r) => setTimeout(r, 100));
    assert.match(out, /READY tsvstun0/, err);
    const ping = spawnSync(
      'ip',
      ['netns', 'exec', ns, 'ping', '-c', '5', '-i', '0.2', '-W', '2', '10.78.0.2'],
      { encoding: 'utf8', timeout: 15000 },
    );
    assert.match(ping.stdout, /5 packets transmitted, 5 received/, ping.stdout + ping.stderr);
    await new Promise<void>((resolve) => {
      if (echo.exitCode !== null) resolve();
      else echo.on('exit', () => resolve());
      setTimeout(() => echo.kill('SIGKILL'), 12000);
    });
    assert.match(out, /DONE 5/);
  } finally {
    spawnSync('ip', ['netns', 'del', ns]);
  }
});
