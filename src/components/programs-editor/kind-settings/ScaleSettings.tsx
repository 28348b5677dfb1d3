import { TextInput } from "./fields";
import { type SettingsProps, str } from "./types";

export function ScaleSettings({ id, config, set }: SettingsProps) {
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      <TextInput
        id={`${id}-min`}
        label="Label of 1"
        value={str(config.minLabel)}
        onChange={(minLabel) => set({ minLabel })}
      />
      <TextInput
        id={`${id}-max`}
        label="Label of 10"
        value={str(config.maxLabel)}
        onChange={(maxLabel) => set({ maxLabel })}
      />
      <div className="sm:col-span-2">
        <TextInput
          id={`${id}-followup`}
          label="Follow-up question"
          value={str(config.followUp)}
          onChange={(followUp) => set({ followUp })}
        />
      </div>
    </div>
  );
}
