import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium, which `.ci/run` installs; the browser tests skip, loudly, without it. */
export const CHROMIUM = '/usr/bin/chromium';

/** Whether Chromium is here; if not, warns that `what` is skipped so a green run cannot hide it. */
export function chromiumAvailable(what: string): boolean {
  const available = existsSync(CHROMIUM);
  if (!available) console.warn(`\n*** ${CHROMIUM} is missing: ${what} is SKIPPED ***\n`);
  return available;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // No sandbox as root; no background traffic on a machine with no network but loopback.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Collects every URL the page requests outside `origin`: the pages must load nothing from elsewhere. */
export function externalRequests(page: Page, origin: string): string[] {
  const external: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(origin)) external.push(r.url());
  });
  return external;
}
