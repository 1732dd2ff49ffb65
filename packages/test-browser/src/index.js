// One browser for the whole test suite: the Chromium build shipped inside the npm package
// @sparticuz/chromium (pinned), driven by playwright-core. No system package and no download
// at run time, so every machine renders the same pixels. If it cannot start, launchBrowser
// throws an error that says why: browser tests fail, they never skip.
import sparticuz from '@sparticuz/chromium';
import { chromium } from 'playwright-core';

/** Flags for a root user on a machine without a network: no sandbox, no GPU, no background traffic. */
export const browserArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-zygote',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let pathPromise;

/** Unpacks the pinned Chromium once per process (about 3 s the first time) and returns its path. */
export function browserPath() {
  if (process.env.CHROMIUM_PATH) return Promise.resolve(process.env.CHROMIUM_PATH);
  pathPromise ??= sparticuz.executablePath().catch((e) => {
    pathPromise = undefined;
    throw new Error(`@nabla/test-browser: could not unpack the Chromium of @sparticuz/chromium: ${e?.message ?? e}`);
  });
  return pathPromise;
}

/**
 * Launches the pinned headless Chromium. Only the flags above are passed (not the package's
 * defaults, which disable site isolation), so a page served with COOP/COEP is cross-origin
 * isolated as in a real browser.
 */
export async function launchBrowser(options = {}) {
  const executablePath = await browserPath();
  try {
    return await chromium.launch({ executablePath, headless: true, args: browserArgs, ...options });
  } catch (e) {
    throw new Error(
      `@nabla/test-browser: Chromium at ${executablePath} did not start: ${String(e?.message ?? e).split('\n')[0]}`,
    );
  }
}
