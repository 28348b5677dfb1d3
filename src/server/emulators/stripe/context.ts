import type { EventRequest } from "./objects";

/** Where hosted pages live: `${publicBaseUrl}${basePath}/checkout/<id>` and so on. */
export type EmuConfig = { publicBaseUrl: string; basePath: string };

/**
 * One API call, page action or clock step: its emulated time (unix seconds; objects and events
 * it creates carry it), the request that caused it, and how many events it emitted.
 */
export type EmuContext = EmuConfig & {
  now: number;
  request: EventRequest;
  emitted: number;
};

export function hostedUrl(config: EmuConfig, path: string): string {
  return `${config.publicBaseUrl}${config.basePath}${path}`;
}

export function realNow(): number {
  return Math.floor(Date.now() / 1000);
}
