// --report FILE: one self-contained HTML page (no scripts, no external files) with the TCP
// conversations, the expert summary, an I/O graph and a sequence diagram per stream in SVG.

import type { ConversationTable } from './conversations.js';
import { formatSize } from './conversations.js';
import type { FlowGraph } from './flow-graph.js';

export interface ReportInput {
  title: string;
  frames: number;
  bytes: number;
  durationNs: number;
  convs: ConversationTable;
  flows: FlowGraph;
  expertText: string;
  /** Frames per I/O bucket and the bucket width. */
  ioFrames: number[];
  ioBytes: number[];
  ioIntervalNs: number;
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const MAX_STREAMS = 30;
const MAX_ARROWS = 300;

function ioGraph(r: ReportInput): string {
  const w = 900;
  const h = 220;
  const n = Math.max(1, r.ioFrames.length);
  const max = Math.max(1, ...r.ioFrames);
  const bw = w / n;
  let bars = '';
  for (let i = 0; i < r.ioFrames.length; i++) {
    const bh = (r.ioFrames[i]! / max) * (h - 30);
    bars += `<rect x="${(i * bw).toFixed(1)}" y="${(h - 20 - bh).toFixed(1)}" width="${Math.max(1, bw - 1).toFixed(1)}" height="${bh.toFixed(1)}"><title>${((i * r.ioIntervalNs) / 1e9).toFixed(3)} s: ${r.ioFrames[i]} frames, ${r.ioBytes[i]} bytes</title></rect>`;
  }
  return `<svg class="io" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}">${bars}<line x1="0" y1="${h - 20}" x2="${w}" y2="${h - 20}"/><text x="0" y="${h - 4}">0 s</text><text x="${w}" y="${h - 4}" text-anchor="end">${(r.durationNs / 1e9).toFixed(3)} s</text><text x="4" y="12">${max} frames / ${(r.ioIntervalNs / 1e9).toFixed(3)} s</text></svg>`;
}

function sequenceDiagram(s: {
  stream: number;
  a: string;
  b: string;
  events: { time: number; aToB: boolean; label: string; frame: number }[];
}): string {
  const ev = s.events.slice(0, MAX_ARROWS);
  const w = 900;
  const xa = 160;
  const xb = 740;
  const row = 22;
  const h = 50 + ev.length * row;
  let g = `<line class="life" x1="${xa}" y1="30" x2="${xa}" y2="${h}"/><line class="life" x1="${xb}" y1="30" x2="${xb}" y2="${h}"/>`;
  g += `<text x="${xa}" y="20" text-anchor="middle">${esc(s.a)}</text><text x="${xb}" y="20" text-anchor="middle">${esc(s.b)}</text>`;
  ev.forEach((e, i) => {
    const y = 45 + i * row;
    const x1 = e.aToB ? xa : xb;
    const x2 = e.aToB ? xb : xa;
    const cls = /Retransmission|Dup ACK|Out-Of-Order|not captured|ZeroWindow|RST/.test(e.label)
      ? 'bad'
      : /SYN|FIN/.test(e.label)
        ? 'ctl'
        : '';
    g += `<text class="t" x="4" y="${y + 4}">${(e.time / 1e9).toFixed(6)}</text>`;
    g += `<line class="arrow ${cls}" x1="${x1}" y1="${y}" x2="${x2}" y2="${y}" marker-end="url(#ah)"/>`;
    g += `<text class="lbl ${cls}" x="${(xa + xb) / 2}" y="${y - 4}" text-anchor="middle">${esc(e.label)}<title>frame ${e.frame}</title></text>`;
  });
  const more =
    s.events.length > ev.length ? `<p>${s.events.length - ev.length} more packets not drawn.</p>` : '';
  return `<h3>Stream ${s.stream}: ${esc(s.a)} &#8596; ${esc(s.b)}</h3><svg class="seq" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}"><defs><marker id="ah" markerWidth="8" markerHeight="8" refX="8" refY="4" orient="auto"><path d="M0,0 L8,4 L0,8 z"/></marker></defs>${g}</svg>${more}`;
}

export function renderReport(r: ReportInput): string {
  let rows = '';
  const items = [...r.convs.items].sort((x, y) => y.txFrames + y.rxFrames - (x.txFrames + x.rxFrames));
  for (const c of items.slice(0, 500)) {
    rows += `<tr><td>${esc(`${c.aAddr}:${c.aPort}`)}</td><td>${esc(`${c.bAddr}:${c.bPort}`)}</td><td>${c.txFrames}</td><td>${formatSize(c.txBytes)}</td><td>${c.rxFrames}</td><td>${formatSize(c.rxBytes)}</td><td>${(c.start / 1e9).toFixed(6)}</td><td>${((c.stop - c.start) / 1e9).toFixed(4)}</td></tr>`;
  }
  const streams = [...r.flows.streams.values()].sort((a, b) => a.stream - b.stream).slice(0, MAX_STREAMS);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tsdump report: ${esc(r.title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}
td:first-child,td:nth-child(2){text-align:left}
svg text{font-family:monospace;font-size:11px}
.io rect{fill:#4a7fb5}.io line{stroke:#555}
.life{stroke:#999;stroke-dasharray:4 3}.arrow{stroke:#333}.arrow.bad{stroke:#c33}.arrow.ctl{stroke:#393}
.lbl.bad{fill:#c33}.lbl.ctl{fill:#393}.t{fill:#666}
pre{background:#f6f6f6;padding:1em;font-size:12px}
</style></head><body>
<h1>${esc(r.title)}</h1>
<p>${r.frames} frames, ${formatSize(r.bytes)}, ${(r.durationNs / 1e9).toFixed(6)} s.</p>
<h2>I/O graph</h2>${ioGraph(r)}
<h2>TCP conversations</h2><table><tr><th>Address A</th><th>Address B</th><th>Frames A&#8594;B</th><th>Bytes A&#8594;B</th><th>Frames B&#8594;A</th><th>Bytes B&#8594;A</th><th>Rel start</th><th>Duration</th></tr>${rows}</table>
${r.flows
  .synFloodSignals()
  .map((l) => `<p class="alarm"><b>${esc(l)}</b></p>`)
  .join('')}
<h2>Expert information</h2><pre>${esc(r.expertText.trim() || 'none')}</pre>
<h2>Flow graphs</h2>${streams.map(sequenceDiagram).join('\n')}
${r.flows.streams.size > streams.length ? `<p>${r.flows.streams.size - streams.length} more streams not drawn.</p>` : ''}
</body></html>
`;
}
