import { createHmac } from 'node:crypto';
import type { DeliveryChannel } from './channel.js';

export const SMS_SIGNATURE_HEADER = 'x-rdmc-signature';
export const SMS_MESSAGE_ID_HEADER = 'x-rdmc-message-id';

/** `sha256=<hex HMAC-SHA256 of the exact body bytes>`, the receiver recomputes it with the shared secret. */
export function smsSignature(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/**
 * SMS handed to an SMS gateway of the operator's choice: a JSON POST, signed over the body,
 * carrying the outbox ID so the gateway can drop a retried duplicate. Anything but a 2xx
 * answer is a failure, retried by the job engine.
 */
export function smsWebhookChannel(url: string, secret: string): DeliveryChannel {
  return {
    async send(m) {
      const body = JSON.stringify({ MessageId: m.id, To: m.to, Body: m.body, Link: m.link });
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [SMS_SIGNATURE_HEADER]: smsSignature(body, secret),
          [SMS_MESSAGE_ID_HEADER]: m.id,
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`SMS webhook answered ${res.status}`);
    },
    async close() {},
  };
}
