#!/usr/bin/env node
// tsvs: the director (LVS + keepalived's role). Subcommands arrive with the director issue.
const sub = process.argv[2];
if (sub === undefined || sub === '-h' || sub === '--help') {
  process.stdout.write('Usage: tsvs demo | run | lab\n');
  process.exit(sub === undefined ? 1 : 0);
}
process.stderr.write(`tsvs: '${sub}' is coming with the director issue; see README.md\n`);
process.exit(1);
