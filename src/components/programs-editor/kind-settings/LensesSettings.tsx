import { LENS_PRESETS } from "../kinds";
import { ListEditor } from "./fields";
import { type SettingsProps, strings } from "./types";

/** Preset lenses as checkboxes, plus the coach's own (at most six in all). */
export function LensesSettings({ id, config, set }: SettingsProps) {
  const lenses = strings(config.lenses);
  const onChange = (next: string[]) => set({ lenses: next });
  const isPreset = (l: string) => LENS_PRESETS.some((x) => x.toLowerCase() === l.toLowerCase());
  const chosen = lenses.filter(isPreset);
  const custom = lenses.filter((l) => !isPreset(l));
  return (
    <div className="space-y-3">
      <fieldset>
        <legend className="text-sm font-semibold">Lenses (pick at least two)</legend>
        <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
          {LENS_PRESETS.map((lens) => {
            const on = chosen.some((c) => c.toLowerCase() === lens.toLowerCase());
            return (
              <label key={lens} className="flex min-h-11 items-center gap-2">
                <input
                  type="checkbox"
                  className="size-5"
                  checked={on}
                  onChange={() =>
                    onChange(
                      on
                        ? lenses.filter((l) => l.toLowerCase() !== lens.toLowerCase())
                        : [...chosen, lens, ...custom],
                    )
                  }
                />
                {lens}
              </label>
            );
          })}
        </div>
      </fieldset>
      <ListEditor
        id={`${id}-lenses-custom`}
        label="Other lens"
        items={custom}
        max={Math.max(0, 6 - chosen.length)}
        onChange={(next) => onChange([...chosen, ...next])}
      />
    </div>
  );
}
