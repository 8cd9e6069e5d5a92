import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';

/** Debian's chromium package; CI installs it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM_PATH);
export const CHROMIUM_SKIP_REASON = `browser tests skipped: no Chromium at ${CHROMIUM_PATH} (install Debian's chromium package)`;

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile of its own. */
export async function launchChromium(options: { locale?: string; width?: number; height?: number } = {}): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'kos-notify-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: FLAGS,
    locale: options.locale ?? 'en-GB',
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Waits until a console view has rendered: its `ready` element is there and no paragraph or cell still ends in the
 * loading ellipsis. Not `waitForLoadState('networkidle')`: that is per document, so after a hash route it returns at
 * once, and once a frame (the digest preview) attaches after the page went idle it waits for a request that never comes.
 */
export async function waitForView(page: Page, ready: string, timeout = 15_000): Promise<void> {
  await page.locator(ready).first().waitFor({ timeout });
  // Polled from here: the console's CSP forbids the eval that waitForFunction needs for a string predicate.
  const loading = `[...document.querySelectorAll('main p, main td')].filter((e) => e.textContent.trim().endsWith('…')).length`;
  await expect.poll(() => page.evaluate(loading), { timeout }).toBe(0);
}
