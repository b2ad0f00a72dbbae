#!/usr/bin/env bash
# Commit only the given paths, serialized across the helpers that share this work tree.
# usage: scripts/commit.sh "message" PATH...
set -euo pipefail
msg=$1; shift
cd "$(dirname "$0")/.."
exec 9>/tmp/tsvs-git.lock
flock 9
git add -A -- "$@"
if git diff --cached --quiet -- "$@"; then echo "commit: nothing to commit in $*"; exit 0; fi
git commit -q -m "$msg" -- "$@"
git log --oneline -1
