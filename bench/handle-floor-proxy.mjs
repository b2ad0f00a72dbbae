// The floor of a TCP relay on Node's own handles: what the proxy plane's raw engine
// (src/dataplane/proxy/raw-relay.ts) would cost with no director, no accounting, no timeouts
// and no error handling beyond closing. Not a product: bench/proxy-vs-haproxy.sh --floor runs
// it as a candidate of ../shared/bench/l4-proxy.sh to measure how far Node's per-connection
// machinery alone is from haproxy (accept, connect, two reads and a write each way, FIN both
// ways, two closes).
//
// usage: node bench/handle-floor-proxy.mjs LISTEN=BACKEND[,BACKEND...]
//   e.g. node bench/handle-floor-proxy.mjs 127.0.0.1:8080=127.0.0.1:9001,127.0.0.1:9002

const pb = process.binding;
const { TCP, TCPConnectWrap, constants } = pb('tcp_wrap');
const { WriteWrap, ShutdownWrap, streamBaseState, kReadBytesOrError, kArrayBufferOffset } =
  pb('stream_wrap');

function hostPort(s) {
  const i = s.lastIndexOf(':');
  if (i <= 0) throw new Error(`expected host:port, got "${s}"`);
  return [s.slice(0, i), Number(s.slice(i + 1))];
}

const spec = process.argv[2];
if (spec === undefined || !spec.includes('=')) {
  console.error('usage: node bench/handle-floor-proxy.mjs LISTEN=BACKEND[,BACKEND...]');
  process.exit(2);
}
const [listen, list] = spec.split('=');
const backends = list.split(',').filter(Boolean).map(hostPort);
let next = 0;

function noop() {}

function closeBoth(c) {
  if (c.closed) return;
  c.closed = true;
  c.a.close();
  c.b.close();
}

function onRead(ab) {
  const n = streamBaseState[kReadBytesOrError];
  if (n === 0) return;
  const c = this.conn;
  if (c.closed) return;
  const other = this === c.a ? c.b : c.a;
  if (n > 0) {
    const buf = Buffer.from(ab, streamBaseState[kArrayBufferOffset], n);
    const req = new WriteWrap();
    req.handle = other;
    req.oncomplete = noop;
    req.buffer = buf;
    if (other.writeBuffer(req, buf) !== 0) closeBoth(c);
    return;
  }
  // EOF (or an error): pass the FIN on; close when both sides have sent theirs.
  this.eof = true;
  if (n !== -4095 || other.eof) {
    closeBoth(c);
    return;
  }
  const req = new ShutdownWrap();
  req.handle = other;
  req.oncomplete = noop;
  if (other.shutdown(req) < 0) closeBoth(c);
}

const [lhost, lport] = hostPort(listen);
const server = new TCP(constants.SERVER);
if (server.bind(lhost, lport) !== 0 || server.listen(511) !== 0) {
  console.error(`handle-floor-proxy: cannot listen on ${listen}`);
  process.exit(1);
}
server.onconnection = (err, client) => {
  if (err !== 0 || client === undefined) return;
  const [host, port] = backends[next];
  next = (next + 1) % backends.length;
  const upstream = new TCP(constants.SOCKET);
  const c = { a: client, b: upstream, closed: false };
  client.conn = c;
  upstream.conn = c;
  client.onread = onRead;
  upstream.onread = onRead;
  client.getpeername({}); // the proxy plane needs the client's address; so does this floor
  client.setNoDelay(true);
  const req = new TCPConnectWrap();
  req.oncomplete = (status) => {
    if (status !== 0) {
      closeBoth(c);
      return;
    }
    upstream.setNoDelay(true);
    client.readStart();
  };
  if (upstream.connect(req, host, port) !== 0) {
    closeBoth(c);
    return;
  }
  upstream.readStart();
};
process.on('SIGTERM', () => process.exit(0));
