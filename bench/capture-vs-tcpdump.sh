#!/usr/bin/env bash
# bench/capture-vs-tcpdump.sh — tsdump and tcpdump capture the same bounded UDP flood at the same
# time (both -w FILE with the filter 'udp port 9000'); reports packets captured and dropped by each.
#
# Topology: namespaces pbliveS and pbliveR joined by a veth pair (198.18.77.1 <-> 198.18.77.2,
# RFC 2544 benchmark addresses that exist nowhere else). The flood is COUNT frames sent through a
# packet socket out of the sender's veth; both capturers listen on that veth, where every frame
# passes the tap, so each should capture exactly COUNT. Rounds alternate which capturer starts first.
# Prints progress on stderr and one JSON object on stdout (also saved under bench/results/).
set -euo pipefail

ROUNDS=3
COUNT=300000
SIZE=100
BUF_KIB=2048
MAX_SECONDS=600
TSDUMP="node dist/cli/tsdump.js"
EXTRA=""

usage() {
  cat <<EOF
usage: bench/capture-vs-tcpdump.sh [--runs N] [--count FRAMES] [--size BYTES] [--buffer-kib KIB]
                                   [--tsdump 'CMD'] [--extra 'TSDUMP ARGS'] [--max-seconds S]
  --tsdump   how to run tsdump (default: '$TSDUMP', built first if missing);
             the engine alone: --tsdump 'node --import tsx bench/capture-driver.ts'
  --extra    more tsdump arguments, e.g. --extra --immediate-mode
EOF
}

while [ $# -gt 0 ]; do
  case "$1" in
    --runs) ROUNDS=$2; shift 2 ;;
    --count) COUNT=$2; shift 2 ;;
    --size) SIZE=$2; shift 2 ;;
    --buffer-kib) BUF_KIB=$2; shift 2 ;;
    --tsdump) TSDUMP=$2; shift 2 ;;
    --extra) EXTRA=$2; shift 2 ;;
    --max-seconds) MAX_SECONDS=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done

cd "$(dirname "$0")/.."
ROOT=$(pwd)
fail() {
  echo "{\"bench\":\"capture-vs-tcpdump\",\"error\":\"$1\"}"
  echo "capture-vs-tcpdump: $1" >&2
  exit 1
}
[ "$(id -u)" = 0 ] || fail "needs root (network namespaces, packet sockets)"
if [ "$TSDUMP" = "node dist/cli/tsdump.js" ] && [ ! -f dist/cli/tsdump.js ]; then
  echo "capture-vs-tcpdump: building dist/ (npx tsc -p tsconfig.build.json)" >&2
  npx tsc -p tsconfig.build.json >&2 || true
fi
command -v tcpdump >/dev/null || fail "tcpdump is not installed (apt-get install tcpdump)"

NS_S=pbliveS
NS_R=pbliveR
V_S=pblvs
V_R=pblvr
WORK=$(mktemp -d /tmp/tsvs-capbench.XXXXXX)
chmod 777 "$WORK" # tcpdump drops root privileges before it writes
PIDS=()

cleanup() {
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill -KILL "$p" 2>/dev/null || true; done
  [ -s "$WORK/watchdog.pid" ] && kill "$(cat "$WORK/watchdog.pid")" 2>/dev/null || true
  ip netns del "$NS_S" 2>/dev/null || true
  ip netns del "$NS_R" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'echo "capture-vs-tcpdump: stopped by a signal (or the --max-seconds watchdog)" >&2; exit 130' INT TERM
# The watchdog holds none of our output open, so a pipe reading this script ends when it does.
# Its sleep is killed by pid at cleanup; only a sleep that ran to the end signals us.
(exec </dev/null >/dev/null 2>&1; sleep "$MAX_SECONDS" & echo $! >"$WORK/watchdog.pid"; wait $! && kill -TERM $$) &

ip netns del "$NS_S" 2>/dev/null || true
ip netns del "$NS_R" 2>/dev/null || true
ip netns add "$NS_S"
ip netns add "$NS_R"
for ns in "$NS_S" "$NS_R"; do
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
  ip -n "$ns" link set lo up
done
ip link add "$V_S" netns "$NS_S" type veth peer name "$V_R" netns "$NS_R"
ip -n "$NS_S" addr add 198.18.77.1/24 dev "$V_S"
ip -n "$NS_R" addr add 198.18.77.2/24 dev "$V_R"
ip -n "$NS_S" link set "$V_S" up
ip -n "$NS_R" link set "$V_R" up
MAC_R=$(ip netns exec "$NS_R" cat /sys/class/net/$V_R/address)

wait_listening() { # file pid
  for _ in $(seq 1 200); do
    grep -q "listening on" "$1" 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || { cat "$1" >&2; return 1; }
    sleep 0.1
  done
  return 1
}

stat_of() { # file word -> number before "packets <word>"
  sed -n "s/^\([0-9]*\) packets\{0,1\} $2.*/\1/p" "$1" | tail -1
}

pcap_records() {
  python3 - "$1" <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
n, off = 0, 24
while off + 16 <= len(d):
    caplen = struct.unpack_from('<I', d, off + 8)[0]
    if off + 16 + caplen > len(d): break
    off += 16 + caplen; n += 1
print(n)
PY
}

pcap_diff() { # how two capture files differ: record counts, bytes, time stamps
  python3 - "$1" "$2" <<'PY'
import struct, sys
def recs(p):
    d = open(p, 'rb').read(); off = 24; out = []
    while off + 16 <= len(d):
        s, us, cl, l = struct.unpack_from('<IIII', d, off)
        out.append((s * 1000000 + us, l, d[off + 16:off + 16 + cl])); off += 16 + cl
    return d[:24], out
ha, a = recs(sys.argv[1]); hb, b = recs(sys.argv[2])
same_bytes = sum(1 for x, y in zip(a, b) if x[1:] == y[1:])
ts = [abs(x[0] - y[0]) for x, y in zip(a, b) if x[1:] == y[1:] and x[0] != y[0]]
print(f"header {'same' if ha == hb else 'differs'}; {len(a)} vs {len(b)} records; {same_bytes} with equal bytes; "
      f"{len(ts)} of those with other time stamps (max {max(ts) if ts else 0} us apart)")
PY
}

ROWS=""
echo "capture-vs-tcpdump: $ROUNDS rounds of $COUNT frames of $SIZE bytes, -B $BUF_KIB, tsdump = $TSDUMP $EXTRA" >&2
for round in $(seq 1 "$ROUNDS"); do
  R="$WORK/r$round"
  mkdir -m 777 "$R"
  start_tcpdump() {
    ip netns exec "$NS_S" tcpdump -i "$V_S" -B "$BUF_KIB" -w "$R/tcpdump.pcap" 'udp port 9000' 2>"$R/tcpdump.err" &
    TCPDUMP_PID=$!
    PIDS+=("$TCPDUMP_PID")
  }
  start_tsdump() {
    # shellcheck disable=SC2086
    ip netns exec "$NS_S" $TSDUMP -i "$V_S" -B "$BUF_KIB" $EXTRA -w "$R/tsdump.pcap" 'udp port 9000' 2>"$R/tsdump.err" &
    TSDUMP_PID=$!
    PIDS+=("$TSDUMP_PID")
  }
  if [ $((round % 2)) = 1 ]; then start_tcpdump; start_tsdump; else start_tsdump; start_tcpdump; fi
  wait_listening "$R/tcpdump.err" "$TCPDUMP_PID" || fail "tcpdump did not start"
  wait_listening "$R/tsdump.err" "$TSDUMP_PID" || fail "tsdump did not start: $(tr '\n' ' ' < "$R/tsdump.err")"
  sleep 0.5
  FLOOD=$(ip netns exec "$NS_S" node --import tsx bench/capture-flood.ts "$V_S" "$MAC_R" 198.18.77.1 198.18.77.2 "$COUNT" "$SIZE")
  sleep 2 # let both drain their buffers
  kill -INT "$TCPDUMP_PID" "$TSDUMP_PID" 2>/dev/null || true
  wait "$TCPDUMP_PID" 2>/dev/null || true
  wait "$TSDUMP_PID" 2>/dev/null || true
  SENT=$(echo "$FLOOD" | sed -n 's/.*"sent":\([0-9]*\).*/\1/p')
  PPS=$(echo "$FLOOD" | sed -n 's/.*"pps":\([0-9]*\).*/\1/p')
  # With no drops on either side the two files must be identical, time stamps included.
  if cmp -s "$R/tcpdump.pcap" "$R/tsdump.pcap"; then SAME=true; else SAME=\"$(pcap_diff "$R/tcpdump.pcap" "$R/tsdump.pcap")\"; fi
  row=$(printf '{"round":%d,"sent":%s,"flood_pps":%s,"files_identical":%s,"tcpdump":{"captured":%s,"received":%s,"dropped":%s,"in_file":%s},"tsdump":{"captured":%s,"received":%s,"dropped":%s,"in_file":%s}}' \
    "$round" "$SENT" "$PPS" "$SAME" \
    "$(stat_of "$R/tcpdump.err" captured)" "$(stat_of "$R/tcpdump.err" 'received by filter')" "$(stat_of "$R/tcpdump.err" 'dropped by kernel')" "$(pcap_records "$R/tcpdump.pcap")" \
    "$(stat_of "$R/tsdump.err" captured)" "$(stat_of "$R/tsdump.err" 'received by filter')" "$(stat_of "$R/tsdump.err" 'dropped by kernel')" "$(pcap_records "$R/tsdump.pcap")")
  echo "capture-vs-tcpdump: round $round: $row" >&2
  ROWS="${ROWS:+$ROWS,}$row"
  rm -f "$R"/*.pcap
done

RESULT=$(printf '{"bench":"capture-vs-tcpdump","count":%s,"size":%s,"buffer_kib":%s,"tsdump":"%s","rounds":[%s]}' \
  "$COUNT" "$SIZE" "$BUF_KIB" "$TSDUMP $EXTRA" "$ROWS")
python3 - "$RESULT" >&2 <<'PY'
import json, statistics, sys
r = json.loads(sys.argv[1])
print(f"\n{'':10} {'captured':>22} {'dropped by kernel':>22}")
for who in ('tcpdump', 'tsdump'):
    cap = [x[who]['captured'] for x in r['rounds']]
    drop = [x[who]['dropped'] for x in r['rounds']]
    print(f"{who:10} {statistics.median(cap):>12.0f} [{min(cap)}-{max(cap)}] {statistics.median(drop):>12.0f} [{min(drop)}-{max(drop)}]")
print(f"(each round sent {r['count']} frames; median [min-max] over {len(r['rounds'])} rounds)")
PY
mkdir -p bench/results
echo "$RESULT" | tee "bench/results/capture-vs-tcpdump-$(date -u +%Y%m%dT%H%M%SZ).json"
