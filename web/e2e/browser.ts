/**
 * What the end-to-end files share: the stack and Debian's chromium started once per file, pages that
 * keep their console, screenshots in `test-results/`, and steps that say why they failed.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { requireServices } from './env';
import { type Stack, chromiumArgs, findChromium, resultsDir, startStack } from './stack';

export const desktop = { width: 1280, height: 860 };
export const phone = { width: 390, height: 844 };

export interface BrowserSession {
  /** The running stack (set once the file's `beforeAll` has run). */
  readonly stack: Stack;
  /** Errors thrown in any page opened with `open`, each with its path. */
  readonly pageErrors: string[];
  /** A new page at `path` of the web app, its console kept for `step`'s messages. */
  open(path: string, viewport?: { width: number; height: number }): Promise<Page>;
  /** Runs a part of a test; when it fails, keeps a screenshot, the page's errors and console to say why. */
  step<T>(page: Page, name: string, run: () => Promise<T>): Promise<T>;
  /**
   * A screenshot named `name`. `whole`: the full page (the shell scrolls inside `#main`, so the
   * window grows to show all of it and then returns to its size); otherwise the window as it is.
   */
  shot(page: Page, name: string, whole?: boolean): Promise<void>;
}

/**
 * A `describe` whose tests drive chromium against a fresh stack. Without chromium it is skipped, or
 * fails with what to install when `REVO_REQUIRE_SERVICES=1`.
 */
export function describeInBrowser(name: string, tests: (session: BrowserSession) => void): void {
  const executablePath = findChromium();
  if (!executablePath && requireServices) {
    describe(name, () => {
      it('needs chromium', () => {
        throw new Error('REVO_REQUIRE_SERVICES=1 but chromium is missing: apt-get install -y chromium');
      });
    });
  }
  describe.skipIf(!executablePath)(name, () => {
    let stack: Stack | undefined;
    let browser: Browser | undefined;
    let context: BrowserContext | undefined;
    const pageErrors: string[] = [];
    const consoles = new WeakMap<Page, string[]>();

    beforeAll(async () => {
      await mkdir(resultsDir, { recursive: true });
      stack = await startStack();
      browser = await chromium.launch({ executablePath, args: chromiumArgs });
      context = await browser.newContext({ viewport: desktop, reducedMotion: 'reduce' });
    }, 600_000);

    afterAll(async () => {
      await browser?.close();
      await stack?.stop();
    }, 60_000);

    const started = () => {
      if (!stack || !context) throw new Error('the stack is not started (beforeAll failed)');
      return { stack, context };
    };

    async function shot(page: Page, name: string, whole = true) {
      const path = join(resultsDir, `${name}.png`);
      if (!whole) {
        await page.screenshot({ path });
        return;
      }
      const size = page.viewportSize() ?? desktop;
      const height = await page.evaluate(() => {
        const main = document.getElementById('main');
        return main ? main.getBoundingClientRect().top + main.scrollHeight : document.body.scrollHeight;
      });
      await page.setViewportSize({
        width: size.width,
        height: Math.min(4000, Math.max(size.height, Math.ceil(height))),
      });
      await page.screenshot({ path });
      await page.setViewportSize(size);
    }

    const session: BrowserSession = {
      get stack() {
        return started().stack;
      },
      pageErrors,
      async open(path, viewport = desktop) {
        const page = await started().context.newPage();
        await page.setViewportSize(viewport);
        const log: string[] = [];
        consoles.set(page, log);
        page.on('console', (message) => log.push(`${message.type()}: ${message.text()}`));
        page.on('pageerror', (error) => pageErrors.push(`${path}: ${error.message}`));
        await page.goto(`${started().stack.webUrl}${path}`);
        return page;
      },
      async step(page, name, run) {
        try {
          return await run();
        } catch (error) {
          await shot(page, `failed-${name}`).catch(() => {});
          const log = (consoles.get(page) ?? []).slice(-30).join('\n');
          const alerts = await page
            .locator('.state--error')
            .allTextContents()
            .catch(() => []);
          throw new Error(
            `${name}: ${(error as Error).message}\nerrors on the page: ${JSON.stringify(alerts)}\n` +
              `browser console:\n${log}\n${stack?.logs() ?? ''}`,
          );
        }
      },
      shot,
    };
    tests(session);
  });
}
