/** GET /docs in Chromium: the reference renders every operation, and the page requests nothing from elsewhere. */
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createHarness } from '../helpers/harness.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`docs: skipping the browser test: ${CHROMIUM} is missing (apt-get install chromium)`);

describe.skipIf(!hasChromium)('/docs in Chromium', () => {
  it('renders the API reference from this server only', async () => {
    const h = await createHarness();
    const address = await h.app.listen({ host: '127.0.0.1', port: 0 });
    const browser = await chromium.launchPersistentContext(join(await mkdtemp(join(tmpdir(), 'yosoku-docs-')), 'chromium'), {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage();
      const requests: string[] = [];
      const errors: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${address}/docs/`, { waitUntil: 'networkidle' });
      await page.waitForSelector('.opblock-summary', { timeout: 20_000 });
      const operations = await page.locator('.opblock-summary').count();
      expect(operations).toBeGreaterThanOrEqual(20);
      expect(await page.getByText('/v1/external/models/results').first().isVisible()).toBe(true);
      const foreign = requests.filter((u) => !u.startsWith(address) && !u.startsWith('data:'));
      expect(foreign).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      await h.app.close();
    }
  }, 60_000);
});
