// The lab client: N sequential HTTP requests (a new connection each) to the VIP; prints one JSON
// line {"answers":[...],"errors":N,"ms":[...]}. Each request is bounded in time.
// usage: node client.js URL COUNT [TIMEOUT_MS]
import { request } from 'node:http';

const url = process.argv[2] ?? 'http://127.0.0.1/';
const count = Math.min(Number(process.argv[3] ?? 6), 10_000);
const timeoutMs = Number(process.argv[4] ?? 3000);

function once(): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { agent: false, headers: { connection: 'close' }, timeout: timeoutMs },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
        });
        res.on('end', () => resolve(body.trim()));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

async function main(): Promise<void> {
  const answers: string[] = [];
  const ms: number[] = [];
  let errors = 0;
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    try {
      answers.push(await once());
      ms.push(Math.round((performance.now() - t) * 10) / 10);
    } catch {
      errors++;
      answers.push('');
    }
  }
  process.stdout.write(`${JSON.stringify({ answers, errors, ms })}\n`);
}

void main();
