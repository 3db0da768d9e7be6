import { writeFileSync } from 'node:fs';
import { renderApiReference } from './reference.js';

/** `npm run docs:api`: writes docs/reference/api.md from the code (src/api/reference.ts); run from the repository root. */
writeFileSync('docs/reference/api.md', renderApiReference());
