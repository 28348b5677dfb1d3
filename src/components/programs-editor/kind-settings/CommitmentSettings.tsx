import { TextInput } from "./fields";
import type { Config, SettingsProps } from "./types";

export function CommitmentSettings({ id, config, set }: SettingsProps) {
  return (
    <TextInput
      id={`${id}-due`}
      label="Due in days (0 = today)"
      type="number"
      value={String(config.dueInDays ?? "")}
      onChange={(dueInDays) => set({ dueInDays })}
    />
  );
}

/** The field holds text while typed; an empty one is sent as NaN so the server names the field. */
export function commitmentConfig(config: Config): Config {
  const raw =
    typeof config.dueInDays === "string" ? config.dueInDays : String(config.dueInDays ?? "");
  return { dueInDays: raw.trim() === "" ? Number.NaN : Number(raw) };
}
