// The TCP state machine against the reference's typical traces.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  isActiveState,
  isSchedulable,
  nextTcpState,
  S_NONE,
  STATE_NAMES,
  TCP_DIR_INPUT,
  TCP_DIR_INPUT_ONLY,
  TCP_DIR_OUTPUT,
} from './tcp-state.js';
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from './types.js';

function trace(steps: [number, number][]): string[] {
  let s = S_NONE;
  return steps.map(([dir, flags]) => STATE_NAMES[(s = nextTcpState(s, dir, flags))]!);
}

test('NAT, client closes first: SR SR ES CW TW', () => {
  assert.deepEqual(
    trace([
      [TCP_DIR_INPUT, TCP_SYN],
      [TCP_DIR_OUTPUT, TCP_SYN | TCP_ACK],
      [TCP_DIR_INPUT, TCP_ACK],
      [TCP_DIR_INPUT, TCP_FIN | TCP_ACK],
      [TCP_DIR_OUTPUT, TCP_FIN | TCP_ACK],
    ]),
    ['SYN_RECV', 'SYN_RECV', 'ESTABLISHED', 'CLOSE_WAIT', 'TIME_WAIT'],
  );
});

test('DR (input only): SYN -> SR, ACK -> ES, FIN -> FIN_WAIT, RST -> CLOSE', () => {
  assert.deepEqual(
    trace([
      [TCP_DIR_INPUT_ONLY, TCP_SYN],
      [TCP_DIR_INPUT_ONLY, TCP_ACK],
      [TCP_DIR_INPUT_ONLY, TCP_FIN | TCP_ACK],
      [TCP_DIR_INPUT_ONLY, TCP_RST],
    ]),
    ['SYN_RECV', 'ESTABLISHED', 'FIN_WAIT', 'CLOSE'],
  );
});

test('no flags -> CLOSE; active states are ES SS SR SA', () => {
  assert.equal(STATE_NAMES[nextTcpState(1, TCP_DIR_INPUT, 0)], 'CLOSE');
  assert.deepEqual(
    STATE_NAMES.filter((_, i) => isActiveState(i)),
    ['ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'SYNACK'],
  );
});

test('scheduling only on SYN without RST (TCP), any UDP datagram; sloppy_tcp', () => {
  assert.equal(isSchedulable(6, TCP_SYN), true);
  assert.equal(isSchedulable(6, TCP_SYN | TCP_RST), false);
  assert.equal(isSchedulable(6, TCP_ACK), false);
  assert.equal(isSchedulable(6, TCP_ACK, true), true);
  assert.equal(isSchedulable(17, 0), true);
  assert.equal(isSchedulable(1, 0), false);
});
