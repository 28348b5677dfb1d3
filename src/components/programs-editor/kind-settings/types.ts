import type { ComponentType } from "react";

export type Config = Record<string, unknown>;

/** What every kind's settings form gets: an id prefix, the config being edited, a merger. */
export type SettingsProps = { id: string; config: Config; set: (patch: Config) => void };

/** A kind's settings form, and how its edited state becomes the config sent to the server. */
export type KindEditor = {
  Settings: ComponentType<SettingsProps>;
  toConfig?: (config: Config) => Config;
};

export const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
export const str = (v: unknown, fallback = "") => (typeof v === "string" ? v : fallback);
