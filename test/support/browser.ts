// Real headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) for tests that
// must see what a user sees: the editor, the dashboard. Never downloads a browser.
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium; .ci/run does)`);
  }
  // The flags keep Chromium off the network this machine does not have (shared/notes/editor.md).
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

export interface ColourCount {
  /** Pixels per requested colour, over every canvas on the page. */
  counts: Record<string, number>;
  /** The colours with fewer pixels than a drawn line needs. */
  missing: string[];
}

/**
 * Opens `url` and waits until every colour (#rrggbb) is drawn on the page's canvases with at
 * least `minPixels` pixels (within a small tolerance for anti-aliasing), or the time runs out.
 */
export async function seriesColoursDrawn(url: string, colours: string[], minPixels = 40, ms = 20000): Promise<ColourCount> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(url, { waitUntil: 'load' });
    const deadline = Date.now() + ms;
    let result: ColourCount = { counts: {}, missing: colours };
    for (;;) {
      const counts = await page.evaluate((wanted: string[]) => {
        const rgb = wanted.map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));
        const found: Record<string, number> = Object.fromEntries(wanted.map((hex) => [hex, 0]));
        for (const canvas of Array.from(document.querySelectorAll('canvas'))) {
          const context = canvas.getContext('2d');
          if (!context || canvas.width === 0 || canvas.height === 0) continue;
          const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
          for (let p = 0; p < pixels.length; p += 4) {
            rgb.forEach(([r, g, b], k) => {
              if (Math.abs(pixels[p] - r) + Math.abs(pixels[p + 1] - g) + Math.abs(pixels[p + 2] - b) < 30) found[wanted[k]]++;
            });
          }
        }
        return found;
      }, colours);
      result = { counts, missing: colours.filter((c) => counts[c] < minPixels) };
      if (result.missing.length === 0 || Date.now() > deadline) return result;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    await browser.close();
  }
}
