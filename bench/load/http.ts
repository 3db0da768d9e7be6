import { Agent, request } from 'node:http';

/** One HTTP request as the builders produce it: everything needed to put it on the wire. */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface HttpResponse {
  status: number;
  body: string;
}

/** Sends `req` to `base` (http://host:port) and reads the whole answer. */
export function send(base: URL, req: HttpRequest, agent: Agent | false = false): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const out = request(
      { host: base.hostname, port: base.port, method: req.method, path: req.path, headers: req.headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    out.on('error', reject);
    out.end(req.body);
  });
}

/** Parses a JSON answer, throwing with the status and text when it is not the 200 expected. */
export function expectOk(res: HttpResponse, what: string): any {
  if (res.status !== 200) throw new Error(`${what} answered ${res.status}: ${res.body.slice(0, 300)}`);
  return JSON.parse(res.body);
}
