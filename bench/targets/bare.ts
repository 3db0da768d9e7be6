import { fileURLToPath } from 'node:url';
import { jsonRequest } from '../load/requests.js';
import type { TargetSpec } from './launch.js';

const SCRIPT = fileURLToPath(new URL('./bare-server.js', import.meta.url));

export const bareSpec: TargetSpec = {
  name: 'bare node:http',
  command: process.execPath,
  args: (port) => [SCRIPT, String(port)],
  probe: () => jsonRequest('GET', '/'),
};
