#!/usr/bin/env node
// tsdump: tcpdump's reading side. Being built (issue 2).
process.stderr.write('tsdump: being built; see README.md\n');
process.exit(1);
