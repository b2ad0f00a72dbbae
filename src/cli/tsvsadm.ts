#!/usr/bin/env node
// tsvsadm: ipvsadm's grammar and output against a running `tsvs run`. Arrives with the director issue.
process.stderr.write('tsvsadm: coming with the director issue; see README.md\n');
process.exit(1);
