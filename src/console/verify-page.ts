import type { LinkState } from '../services/verification.js';
import { escapeHtml } from '../domain/html.js';

/** One small, self-contained page: no scripts, no external assets, readable by screen readers. */
function page(title: string, content: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} - rdmc</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5; color: #1a1a1a; }
  button { font: inherit; padding: 0.6rem 1.4rem; border: 0; border-radius: 0.3rem; background: #0b57d0; color: #fff; cursor: pointer; }
  button:focus-visible { outline: 3px solid #f4b400; outline-offset: 2px; }
  .target { font-weight: 600; word-break: break-all; }
</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${content}
</main>
</body>
</html>`;
}

const channelWord = (channel: 'email' | 'sms') => (channel === 'email' ? 'email address' : 'mobile number');

/** The page for GET /verify/<token>, and for the answer to POST, with its HTTP status. */
export function verifyPage(state: LinkState, actionPath: string): { status: number; html: string } {
  switch (state.state) {
    case 'valid':
      return {
        status: 200,
        html: page(
          'Confirm your contact details',
          `<p>Message contact <strong>${escapeHtml(state.contactName)}</strong> asks to receive resource directory messages at the ${channelWord(state.channel)}</p>
<p class="target">${escapeHtml(state.target)}</p>
<form method="post" action="${escapeHtml(actionPath)}">
<button type="submit">Confirm this ${channelWord(state.channel)}</button>
</form>`,
        ),
      };
    case 'confirmed':
      return {
        status: 200,
        html: page(
          'Confirmed',
          `<p role="status">The ${channelWord(state.channel)} <span class="target">${escapeHtml(state.target)}</span> is now verified for message contact <strong>${escapeHtml(state.contactName)}</strong>. You can close this page.</p>`,
        ),
      };
    case 'used':
      return { status: 410, html: page('Link already used', '<p>This verification link has already been used. Each link works once.</p>') };
    case 'expired':
      return { status: 410, html: page('Link expired', '<p>This verification link has expired. Ask for a new verification message.</p>') };
    case 'stale':
      return {
        status: 410,
        html: page('Nothing to confirm', '<p>The address this link was sent for is no longer waiting for verification: it was verified, changed or cancelled since.</p>'),
      };
    case 'unknown':
      return { status: 404, html: page('Link not found', '<p>This verification link is not valid. Check that you opened the whole link from the message.</p>') };
  }
}
