import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { SMS_MESSAGE_ID_HEADER, SMS_SIGNATURE_HEADER, smsSignature } from '../../src/channels/sms-webhook.js';

export interface ReceivedMail {
  from: string;
  to: string;
  /** The envelope's recipients (RCPT TO), where the mail really goes. */
  recipients: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

/**
 * A real SMTP server on loopback (the smtp-server package) that keeps what it receives; with
 * `refuse`, one that answers every recipient 550, as a mail server refusing a mailbox does.
 */
export class SmtpInbox {
  readonly mails: ReceivedMail[] = [];
  private server: SMTPServer | null = null;

  constructor(private readonly options: { refuse?: boolean } = {}) {}

  async start(port = 0): Promise<number> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo: (address, _session, done) => {
        if (!this.options.refuse) return done();
        done(Object.assign(new Error(`mailbox ${address.address} unavailable`), { responseCode: 550 }));
      },
      onData: (stream, session, done) => {
        simpleParser(stream).then(
          (mail) => {
            this.mails.push({
              from: mail.from?.text ?? '',
              to: Array.isArray(mail.to) ? mail.to.map((t) => t.text).join(',') : (mail.to?.text ?? ''),
              recipients: session.envelope.rcptTo.map((r) => r.address),
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              html: typeof mail.html === 'string' ? mail.html : '',
              messageId: mail.messageId ?? '',
            });
            done();
          },
          (err: Error) => done(err),
        );
      },
    });
    const server = this.server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return (server.server.address() as AddressInfo).port;
  }

  to(address: string): ReceivedMail[] {
    return this.mails.filter((m) => m.to.includes(address));
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export interface ReceivedSms {
  MessageId: string;
  To: string;
  Body: string;
  Link: string | null;
  /** The signature header checked against the shared secret, as a real gateway would. */
  signatureValid: boolean;
  messageIdHeader: string;
}

/** A real HTTP receiver standing in for an SMS gateway: it records each signed webhook call. */
export class SmsInbox {
  readonly messages: ReceivedSms[] = [];
  private server: Server | null = null;
  constructor(private readonly secret: string) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        const parsed = JSON.parse(body) as Omit<ReceivedSms, 'signatureValid' | 'messageIdHeader'>;
        this.messages.push({
          ...parsed,
          signatureValid: req.headers[SMS_SIGNATURE_HEADER] === smsSignature(body, this.secret),
          messageIdHeader: String(req.headers[SMS_MESSAGE_ID_HEADER] ?? ''),
        });
        res.writeHead(202, { 'content-type': 'application/json' }).end('{}');
      });
    });
    const server = this.server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** The verification link a message carries. */
export function linkIn(text: string): string {
  const m = /https?:\/\/\S+\/verify\/[A-Za-z0-9_-]+/.exec(text);
  if (!m) throw new Error(`no verification link in: ${text}`);
  return m[0];
}
