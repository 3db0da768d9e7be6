import type { ServerResponse } from 'node:http';
import { writeAnswer } from '../protocol/render.js';

/**
 * Every page of the console and of the verification links goes out here, through the shared
 * `writeAnswer` (src/protocol/render.ts): a request whose body was left unread gets this one
 * answer and its connection closed, never a second answer later. The pages need nothing from
 * anywhere (no scripts; the inline style sheet is their only asset) and are never framed by
 * another page, so a click cannot be lured onto a confirm button under a disguise.
 */
export function sendHtml(res: ServerResponse, status: number, html: string, requestId: string) {
  writeAnswer(
    res,
    status,
    {
      'content-type': 'text/html;charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
      // For browsers older than CSP's frame-ancestors.
      'x-frame-options': 'DENY',
      'x-acs-request-id': requestId,
    },
    html,
  );
}
