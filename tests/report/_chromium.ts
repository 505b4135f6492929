/**
 * Test helper: Debian's headless Chromium through puppeteer-core, as the
 * browser tests of `report.html` use it.
 *
 * @module
 */
import puppeteer, { type Browser } from "puppeteer-core";

/** Where Debian's `chromium` package puts the browser (tests skip without it). */
export const CHROMIUM = "/usr/bin/chromium";

/**
 * Starts a headless Chromium with its own profile directory, DevTools over a
 * pipe (no port, so the tests need no --allow-net).
 *
 * @param profileDir A fresh directory for the browser's profile.
 * @param extraArgs More command-line switches.
 * @returns The browser; close it.
 */
export function launchChromium(profileDir: string, extraArgs: string[] = []): Promise<Browser> {
  return puppeteer.launch({
    executablePath: CHROMIUM,
    ignoreDefaultArgs: true,
    pipe: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      ...extraArgs,
      `--user-data-dir=${profileDir}`,
    ],
  });
}
