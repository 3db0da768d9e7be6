import type { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { OutboxRecord } from '../storage/records.js';
import type { DeliveryChannel } from './channel.js';
import { escapeHtml } from '../domain/html.js';

/** The HTML part: the same words as the text part, with the link as a button. */
function htmlPart(m: OutboxRecord): string {
  const paragraphs = m.body
    .split('\n\n')
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('');
  const button = m.link ? `<p><a href="${escapeHtml(m.link)}">Open the verification page</a></p>` : '';
  return `<!doctype html><html lang="en"><body>${paragraphs}${button}</body></html>`;
}

/**
 * E-mail over SMTP with nodemailer. The outbox ID goes into Message-ID, so a receiver can
 * tell a retried send (after a crash between sending and recording) from a new message.
 * nodemailer is loaded on the first send: it costs a tenth of a second that start-up
 * does not need to pay.
 */
export function smtpChannel(url: string, from: string): DeliveryChannel {
  let transport: Promise<Transporter> | undefined;
  const open = () => {
    // nodemailer reads the server and credentials from `url`; short timeouts let a dead
    // server fail the attempt quickly so the job engine retries it later.
    const options = { url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };
    transport ??= import('nodemailer').then((nodemailer) => nodemailer.default.createTransport(options as SMTPTransport.Options));
    return transport;
  };
  return {
    async send(m) {
      await (await open()).sendMail({
        from,
        // An address object, not a string: nodemailer sends it as it is instead of parsing it
        // as an address list, so mail goes to the stored mailbox and nowhere else.
        to: { name: '', address: m.to },
        subject: m.subject,
        text: m.body,
        html: htmlPart(m),
        messageId: `<${m.id}@rdmc>`,
      });
    },
    async close() {
      if (transport) (await transport).close();
    },
  };
}
