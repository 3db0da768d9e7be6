import { connect, type Socket } from 'node:net';

/** One HTTP answer read off a raw socket. */
export interface SocketAnswer {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
  /** The parsed JSON body; undefined when the body is not JSON. */
  json: Record<string, any> | undefined;
}

export interface Exchange {
  /** The first answer, or null when the server closed the connection without one. */
  answer: SocketAnswer | null;
  /** Resolves once the server has ended the connection. */
  closed: Promise<void>;
  socket: Socket;
}

function parseAnswer(raw: Buffer): { answer: SocketAnswer; complete: boolean } | null {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const [statusLine, ...lines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length'] ?? 0);
  const bodyBytes = raw.subarray(end + 4, end + 4 + length);
  const body = bodyBytes.toString('utf8');
  let json: Record<string, any> | undefined;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { answer: { status: Number(statusLine!.split(' ')[1]), headers, body, json }, complete: bodyBytes.length >= length };
}

/**
 * Opens a connection to `url`'s host and port, writes `bytes` exactly as given (a request line
 * and headers no client library would send), and resolves with the first answer. With `end`,
 * the client's side is closed after the bytes: a request left incomplete must then be
 * answered or dropped by the server rather than waited for.
 */
export function exchange(url: string, bytes: string | Buffer, opts: { end?: boolean } = {}): Promise<Exchange> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = Buffer.alloc(0);
    let settled = false;
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    const finish = (answer: SocketAnswer | null) => {
      if (settled) return;
      settled = true;
      resolve({ answer, closed, socket });
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const parsed = parseAnswer(received);
      if (parsed?.complete) finish(parsed.answer);
    });
    // A reset after the answer (the server refusing the rest of a body) is expected.
    socket.on('error', (err) => (settled ? undefined : reject(err)));
    socket.on('close', () => finish(parseAnswer(received)?.answer ?? null));
    if (opts.end) socket.end(bytes);
    else socket.write(bytes);
  });
}

/** `exchange`, then closes the connection: for requests whose connection the test does not need. */
export async function ask(url: string, bytes: string | Buffer): Promise<SocketAnswer | null> {
  const { answer, socket } = await exchange(url, bytes);
  socket.destroy();
  return answer;
}

export interface Begun {
  /** Sends the body and resolves with the answer, or null when the connection ends without one. */
  finish(body: string): Promise<SocketAnswer | null>;
  /** Sends `part` of the body and hangs up. */
  abandon(part: string): Promise<void>;
}

/**
 * Starts a request with `Expect: 100-continue` (`head` is the request line and headers, without
 * the blank line) and resolves once the server answers `100 Continue`: from then on the server
 * has the request in hand (it is in flight), and the body is the test's to send or withhold.
 */
export function begin(url: string, head: string): Promise<Begun> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = Buffer.alloc(0);
    let onAnswer: (answer: SocketAnswer | null) => void = () => {};
    socket.on('error', (err) => (received.length === 0 ? reject(err) : onAnswer(null)));
    socket.on('close', () => onAnswer(null));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const continued = received.indexOf('HTTP/1.1 100 Continue\r\n\r\n');
      if (continued === 0) {
        received = received.subarray('HTTP/1.1 100 Continue\r\n\r\n'.length);
        resolve({
          finish: (body) =>
            new Promise((done) => {
              onAnswer = done;
              socket.write(body);
            }),
          abandon: (part) => new Promise((done) => socket.write(part, () => done(void socket.destroy()))),
        });
      }
      const parsed = parseAnswer(received);
      if (parsed?.complete) {
        onAnswer(parsed.answer);
        socket.destroy();
      }
    });
    socket.write(`${head}\r\nExpect: 100-continue\r\n\r\n`);
  });
}
