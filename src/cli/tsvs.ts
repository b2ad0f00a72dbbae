#!/usr/bin/env node
// tsvs: the director (LVS + keepalived's role): `run` (the daemon), `demo` (no root, no config),
// `lab` (network-namespace topologies of the seeds).

import { demoMain } from './tsvs/demo.js';
import { runMain } from './tsvs/run.js';

const USAGE = `Usage: tsvs COMMAND [options]
Commands:
  run    the director daemon (control socket for tsvsadm, proxy or packet data plane)
  demo   three local HTTP real servers behind a wrr service on 127.0.0.1:8080, no root needed
  lab    network-namespace topologies of LVS's NAT/DR/TUN/FULLNAT setups (root)
Run 'tsvs COMMAND -h' for a command's options; administer a running director with tsvsadm.
`;

async function main(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case undefined:
      process.stderr.write(USAGE);
      return 2;
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(USAGE);
      return 0;
    case 'run':
      return runMain(rest);
    case 'demo':
      return demoMain(rest);
    case 'lab': {
      // Loaded on use: the lab needs root and the packet plane.
      let mod: typeof import('./tsvs/lab.js');
      try {
        mod = await import('./tsvs/lab.js');
      } catch (e) {
        process.stderr.write(
          `tsvs: 'lab' cannot be loaded (${e instanceof Error ? e.message : String(e)})\n`,
        );
        return 1;
      }
      return mod.labMain(rest);
    }
    default:
      process.stderr.write(`tsvs: unknown command '${sub}'\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Normally the loop is empty by now; a socket still closing must not hold the exit.
    setTimeout(() => process.exit(code), 100).unref();
  },
  (e: unknown) => {
    process.stderr.write(
      `tsvs: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    process.exit(70);
  },
);
