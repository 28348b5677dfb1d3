import { ListEditor } from "./fields";
import { type SettingsProps, strings } from "./types";

export function PeopleSettings({ id, config, set }: SettingsProps) {
  return (
    <ListEditor
      id={`${id}-circles`}
      label="Circle"
      items={strings(config.circles)}
      max={8}
      onChange={(circles) => set({ circles })}
    />
  );
}
