// A lab real server: answers every HTTP request with "real server N" (one line), closes after it.
// usage: node http-server.js PORT "real server N"
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 80);
const body = `${process.argv[3] ?? 'real server'}\n`;
const server = createServer((_req, res) => {
  res.writeHead(200, {
    'content-type': 'text/plain',
    'content-length': Buffer.byteLength(body),
    connection: 'close',
  });
  res.end(body);
});
server.listen(port, '0.0.0.0', () => process.stdout.write(`listening on ${port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
// Kept labs outlive the process that started them: writes to its closed pipes are ignored.
process.stdout.on('error', () => undefined);
process.stderr.on('error', () => undefined);
