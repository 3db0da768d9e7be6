import pino, { type Logger } from 'pino';

/** JSON logs on stdout; secrets never reach them (keys are logged by ID only). */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'rdmc' }, redact: ['*.accessKeySecret', '*.adminToken', '*.securityToken'] });
}
