import { practiceKey } from "../kinds";
import { ListEditor } from "./fields";
import type { Config, SettingsProps } from "./types";

/** A practice being edited: a new one has no key until the exercise is saved. */
type Practice = { key: string | null; label: string };

const practicesOf = (config: Config): Practice[] =>
  Array.isArray(config.practices) ? (config.practices as Practice[]) : [];

export function PracticeSettings({ id, config, set }: SettingsProps) {
  const practices = practicesOf(config);
  return (
    <ListEditor
      id={`${id}-practices`}
      label="Practice"
      items={practices.map((x) => x.label)}
      max={12}
      onChange={(labels) =>
        set({ practices: labels.map((label, i) => ({ key: practices[i]?.key ?? null, label })) })
      }
      onRemove={(i) => set({ practices: practices.filter((_, j) => j !== i) })}
    />
  );
}

/** Existing keys never change (ticks refer to them); new practices get a free one. */
export function practiceConfig(config: Config): Config {
  const practices = practicesOf(config);
  const taken = new Set(practices.flatMap((x) => (x.key ? [x.key] : [])));
  return {
    practices: practices.map((x) => {
      if (x.key) return { key: x.key, label: x.label };
      const key = practiceKey(x.label, taken);
      taken.add(key);
      return { key, label: x.label };
    }),
  };
}
