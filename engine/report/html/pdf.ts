/**
 * HTML to PDF through a headless Chromium that is already installed (none
 * is ever downloaded): the report's own @page rules give A4, margins and
 * page numbers. playwright-core is loaded only here.
 */
import { existsSync } from 'node:fs';

/** Where Chromium may be: TIEUCHI_CHROMIUM, then the usual Debian/Ubuntu paths. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = [env.TIEUCHI_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];
  return candidates.find((path): path is string => typeof path === 'string' && path !== '' && existsSync(path));
}

export type PdfResult = { ok: true; bytes: Buffer } | { ok: false; reason: 'no-browser' | 'no-driver' | 'failed'; detail: string };

export async function htmlToPdf(html: string, options: { executablePath?: string; timeoutMs?: number } = {}): Promise<PdfResult> {
  const executablePath = options.executablePath ?? findChromium();
  if (!executablePath) return { ok: false, reason: 'no-browser', detail: 'chromium not found' };
  let playwright: typeof import('playwright-core');
  try {
    playwright = await import('playwright-core');
  } catch (err) {
    return { ok: false, reason: 'no-driver', detail: `playwright-core: ${(err as Error).message}` };
  }
  let browser: import('playwright-core').Browser | undefined;
  try {
    browser = await playwright.chromium.launch({ executablePath, headless: true, timeout: options.timeoutMs ?? 60_000 });
    const page = await browser.newPage();
    // The report is self-contained: refuse any request it might still make, so the PDF never depends on the network.
    await page.route(/^(?!data:|about:)/, (route) => void route.abort());
    await page.setContent(html, { waitUntil: 'load', timeout: options.timeoutMs ?? 60_000 });
    await page.emulateMedia({ media: 'print' });
    const bytes = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
    return { ok: true, bytes };
  } catch (err) {
    return { ok: false, reason: 'failed', detail: (err as Error).message.split('\n')[0]! };
  } finally {
    await browser?.close().catch(() => undefined);
  }
}
