import type { Browser, LaunchOptions } from 'playwright-core';
/** Flags passed to Chromium. */
export declare const browserArgs: readonly string[];
/** Path of the pinned Chromium, unpacked once per process (or CHROMIUM_PATH when set). */
export declare function browserPath(): Promise<string>;
/** Launches the pinned headless Chromium; throws an error saying why when it cannot start. */
export declare function launchBrowser(options?: LaunchOptions): Promise<Browser>;
