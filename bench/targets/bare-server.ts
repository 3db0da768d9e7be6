import { createServer } from 'node:http';

/**
 * The ceiling: node:http answering a constant JSON body, no parsing, no signature, no
 * storage. Run as its own process (argv: port) exactly like rdmc is.
 */
const BODY = JSON.stringify({ RequestId: '00000000-0000-0000-0000-000000000000', Contact: { Name: 'bench' } });
const HEADERS = { 'content-type': 'application/json;charset=utf-8', 'content-length': Buffer.byteLength(BODY) };

const server = createServer((req, res) => {
  // Drain any body so keep-alive connections stay usable.
  req.resume();
  req.on('end', () => {
    res.writeHead(200, HEADERS);
    res.end(BODY);
  });
});
server.keepAliveTimeout = 5_000;
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  const address = server.address() as { port: number };
  console.log(`bare listening on http://127.0.0.1:${address.port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
