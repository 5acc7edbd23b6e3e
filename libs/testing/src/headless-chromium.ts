import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`; CI's .ci/run installs it); CHROMIUM_PATH points elsewhere. */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/** Quiet, reproducible headless runs: no GPU, no sandbox (containers), no background traffic or updates. */
export const HEADLESS_CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Launches the system's Chromium through playwright-core (which downloads no browser of its own). A
 * missing browser fails the test with what to install: browser tests are part of the suite, never skipped.
 */
export async function launchHeadlessChromium(executablePath = process.env['CHROMIUM_PATH'] || DEFAULT_CHROMIUM_PATH): Promise<Browser> {
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium is not installed at ${executablePath}: install it (apt-get install -y chromium; .ci/run does) or set CHROMIUM_PATH`);
  }
  // Loaded here, not with this index: most tests never start a browser.
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath, headless: true, args: HEADLESS_CHROMIUM_FLAGS });
}
