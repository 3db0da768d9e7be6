import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { ApiError } from '../domain/errors.js';
import { hasBody } from './read-request.js';

export type Format = 'JSON' | 'XML';

const JSON_TYPE = 'application/json;charset=utf-8';
// The openapi libraries recognise XML errors only with exactly this spelling (docs/reference/protocol.md 7.4).
const XML_TYPE = 'text/xml;charset=utf-8';

// Characters XML 1.0 cannot carry at all, not even as references: C0 controls but tab, line
// feed and carriage return; lone surrogates; U+FFFE and U+FFFF.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text as XML character data: markup escaped, and what XML cannot hold shown as U+FFFD. */
function escapeXml(text: string): string {
  return text
    .replace(NOT_XML, '\uFFFD')
    .replace(/[<>&'"]/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', "'": 'apos', '"': 'quot' }[c]};`);
}

/** Alibaba's XML: object keys become elements, array items repeat their key's element. */
function toXml(name: string, value: unknown): string {
  if (Array.isArray(value)) return value.map((item) => toXml(name, item)).join('');
  if (value !== null && typeof value === 'object') {
    const inner = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => toXml(k, v))
      .join('');
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value ?? ''))}</${name}>`;
}

/**
 * An answer sent before the request's body has arrived in full closes the connection: rdmc
 * never reads (nor waits for) the rest of a body it did not want, however long the caller says
 * it is. Call before the answer's head is written.
 */
export function closeIfBodyUnread(res: ServerResponse) {
  if (!res.req.complete && hasBody(res.req)) res.shouldKeepAlive = false;
}

/** Every answer of every route goes out here (but the streamed backup, which keeps the same rule). */
export function writeAnswer(res: ServerResponse, status: number, headers: OutgoingHttpHeaders, text: string) {
  closeIfBodyUnread(res);
  res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function send(res: ServerResponse, status: number, body: Record<string, unknown>, format: Format, root: string, requestId: string) {
  const text =
    format === 'XML' ? `<?xml version="1.0" encoding="UTF-8"?>${toXml(root, body)}` : JSON.stringify(body);
  writeAnswer(res, status, { 'content-type': format === 'XML' ? XML_TYPE : JSON_TYPE, 'x-acs-request-id': requestId }, text);
}

export function renderSuccess(res: ServerResponse, requestId: string, action: string, body: Record<string, unknown>, format: Format) {
  send(res, 200, { RequestId: requestId, ...body }, format, `${action}Response`, requestId);
}

/** `product`: the product of the version the request named; ResourceDirectoryMaster until the version is known. */
export function errorBody(err: ApiError, requestId: string, hostId: string, product = 'ResourceDirectoryMaster') {
  return {
    RequestId: requestId,
    HostId: hostId,
    Code: err.code,
    Message: err.message,
    ...(err.origin === 'alibaba' && {
      Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(err.code)}&product=${product}&requestId=${requestId}`,
    }),
  };
}

export function renderError(res: ServerResponse, requestId: string, hostId: string, err: ApiError, format: Format, product?: string) {
  send(res, err.status, errorBody(err, requestId, hostId, product), format, 'Error', requestId);
}
