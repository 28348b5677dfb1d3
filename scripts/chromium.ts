/**
 * Debian's Chromium as the e2e suite and `npm run bench:web` launch it: where it is
 * (CHROMIUM_PATH to move it) and the flags for a headless run with no network of its own
 * (no updates, sync, background fetches or QUIC).
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
  "--disable-quic",
];
