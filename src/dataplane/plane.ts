// The contract between the daemon (control/, cli/tsvs run) and a data plane (proxy/ or packet/).
// The daemon owns the Director, its clock, its tick()/estimate() timers and the rules; a plane
// only opens what the director's services need and moves traffic through schedule()/connect().

import type { Director } from '../director/index.js';

/** One line of the daemon's log: an event name and its fields (stderr text or JSON). */
export type PlaneLog = (event: string, fields: Record<string, string | number | boolean>) => void;

/** A listener that a firewall-mark service owns (the seeds' 80+443 under one mark). */
export interface FwmarkListener {
  protocol: 'TCP' | 'UDP';
  address: string;
  port: number;
}

/** What the config file adds to the ipvsadm rules; both planes read it. */
export interface PlaneConfig {
  /** Firewall mark -> the addr:port listeners that feed it. */
  fwmarks: Map<number, FwmarkListener[]>;
  /**
   * PROXY protocol towards real servers, by service text as ipvsadm -Ln writes it without the
   * scheduler ("TCP 127.0.0.1:8080", "FWM 99"): version 1 (text) or 2 (binary).
   */
  proxyProtocol: Map<string, 1 | 2>;
  /** FULLNAT: the director's local IPv4 addresses that replace the clients' (packet plane). */
  localAddresses: string[];
}

export interface PlaneOptions {
  director: Director;
  /** The daemon's clock in ms, the same one it passes to tick() and estimate(). */
  now: () => number;
  log: PlaneLog;
  config: PlaneConfig;
}

export interface DataPlane {
  /**
   * Makes the plane match the director's current services: open what is new, close what is gone,
   * leave the rest (and its connections) alone. Called at start and after every rule change.
   * Resolves with the problems it met (e.g. a port already in use), one readable line each; a
   * problem with one service never stops the others.
   */
  sync(): Promise<string[]>;
  /** Stop accepting, let open connections finish for up to drainMs, then close everything. */
  close(drainMs: number): Promise<void>;
}

export function emptyPlaneConfig(): PlaneConfig {
  return { fwmarks: new Map(), proxyProtocol: new Map(), localAddresses: [] };
}
