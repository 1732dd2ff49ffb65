// One browser for the whole test suite: the Chromium build shipped inside the npm package
// @sparticuz/chromium (pinned), driven by playwright-core. No system package and no download
// at run time, so every machine renders the same pixels. If it cannot start, launchBrowser
// throws an error that says why: browser tests fail, they never skip.
import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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

/**
 * Unpacks into a private staging folder, then renames it to a shared one. Test processes start
 * in parallel (turbo runs packages at once): @sparticuz/chromium alone unpacks straight into
 * the temp folder and returns a binary another process is still writing (spawn ETXTBSY on a
 * fresh machine). A rename is atomic, so a process sees no browser or a complete one.
 */
async function unpack() {
  const shared = join(tmpdir(), 'nabla-chromium-153');
  const executable = join(shared, 'chromium');
  if (existsSync(executable)) return executable;
  const staging = mkdtempSync(join(tmpdir(), 'nabla-chromium-staging-'));
  const saved = process.env.TMPDIR;
  // @sparticuz/chromium writes into os.tmpdir(), which reads TMPDIR at each call.
  process.env.TMPDIR = staging;
  try {
    await sparticuz.executablePath();
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
  try {
    renameSync(staging, shared);
  } catch (e) {
    // Another process won the race: use its copy.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(executable)) throw e;
  }
  return executable;
}

/** Unpacks the pinned Chromium once per machine (about 3 s the first time) and returns its path. */
export function browserPath() {
  if (process.env.CHROMIUM_PATH) return Promise.resolve(process.env.CHROMIUM_PATH);
  pathPromise ??= unpack().catch((e) => {
    pathPromise = undefined;
    throw new Error(`@nabla/test-browser: could not unpack the Chromium of @sparticuz/chromium: ${e?.message ?? e}`);
  });
  return pathPromise;
}

let fontConfig;

/**
 * A fontconfig file that lists only the DejaVu 2.37 fonts of the npm package, with fixed
 * rendering settings, so text looks the same whatever fonts (if any) the machine has.
 */
function fontConfigFile() {
  if (fontConfig) return fontConfig;
  const ttf = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  const dir = mkdtempSync(join(tmpdir(), 'nabla-fontconfig-'));
  const alias = (generic, family) => `  <alias><family>${generic}</family><prefer><family>${family}</family></prefer></alias>`;
  writeFileSync(
    join(dir, 'fonts.conf'),
    `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>${ttf}</dir>
  <cachedir>${join(dir, 'cache')}</cachedir>
  <!-- As fontconfig's 49-sansserif.conf: a family that is none of the generic ones falls back to sans-serif
       (before the aliases, so they apply to it; Chromium asks for "sans" for system-ui). -->
  <match target="pattern">
    <test qual="all" name="family" compare="not_eq"><string>sans-serif</string></test>
    <test qual="all" name="family" compare="not_eq"><string>serif</string></test>
    <test qual="all" name="family" compare="not_eq"><string>monospace</string></test>
    <edit name="family" mode="append_last"><string>sans-serif</string></edit>
  </match>
${alias('sans-serif', 'DejaVu Sans')}
${alias('system-ui', 'DejaVu Sans')}
${alias('serif', 'DejaVu Serif')}
${alias('monospace', 'DejaVu Sans Mono')}
  <match target="font">
    <edit name="antialias" mode="assign"><bool>true</bool></edit>
    <edit name="hinting" mode="assign"><bool>true</bool></edit>
    <edit name="hintstyle" mode="assign"><const>hintslight</const></edit>
    <edit name="rgba" mode="assign"><const>none</const></edit>
  </match>
</fontconfig>
`,
  );
  fontConfig = join(dir, 'fonts.conf');
  return fontConfig;
}

/**
 * Launches the pinned headless Chromium. Only the flags above are passed (not the package's
 * defaults, which disable site isolation), so a page served with COOP/COEP is cross-origin
 * isolated as in a real browser.
 */
export async function launchBrowser(options = {}) {
  const executablePath = await browserPath();
  try {
    return await chromium.launch({
      executablePath,
      headless: true,
      args: browserArgs,
      ...options,
      env: { ...process.env, FONTCONFIG_FILE: fontConfigFile(), ...options.env },
    });
  } catch (e) {
    throw new Error(
      `@nabla/test-browser: Chromium at ${executablePath} did not start: ${String(e?.message ?? e).split('\n')[0]}`,
    );
  }
}
