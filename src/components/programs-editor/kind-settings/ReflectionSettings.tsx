import { ListEditor } from "./fields";
import { type SettingsProps, strings } from "./types";

export function ReflectionSettings({ id, config, set }: SettingsProps) {
  return (
    <ListEditor
      id={`${id}-probes`}
      label="Follow-up “why?” question"
      items={strings(config.probes)}
      max={5}
      onChange={(probes) => set({ probes })}
    />
  );
}
