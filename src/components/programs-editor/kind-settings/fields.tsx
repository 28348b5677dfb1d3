import { buttonClass, inputClass } from "../../ui/styles";

/** A labelled one-line input of a kind's settings. */
export function TextInput(props: {
  id: string;
  label: string;
  value: string;
  type?: "text" | "number";
  onChange: (value: string) => void;
}) {
  return (
    <div className="space-y-1.5">
      <label htmlFor={props.id} className="block text-sm font-semibold">
        {props.label}
      </label>
      <input
        id={props.id}
        type={props.type ?? "text"}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        className={inputClass()}
      />
    </div>
  );
}

/** An editable list of short texts: one input per item, Remove buttons, an Add button. */
export function ListEditor(props: {
  id: string;
  label: string;
  items: string[];
  max: number;
  onChange: (items: string[]) => void;
  onRemove?: (index: number) => void;
}) {
  const { items } = props;
  return (
    <div className="space-y-2">
      {items.length === 0 && <p className="text-sm text-muted">None yet.</p>}
      <ul className="space-y-2">
        {items.map((item, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the position is the item's identity here
          <li key={i} className="flex flex-wrap items-end gap-2">
            <div className="min-w-0 flex-1 basis-48 space-y-1">
              <label htmlFor={`${props.id}-${i}`} className="block text-sm font-semibold">
                {props.label} {i + 1}
              </label>
              <input
                id={`${props.id}-${i}`}
                value={item}
                onChange={(e) =>
                  props.onChange(items.map((x, j) => (j === i ? e.target.value : x)))
                }
                className={inputClass()}
              />
            </div>
            <button
              type="button"
              aria-label={`Remove ${props.label.toLowerCase()} ${i + 1}`}
              className={buttonClass("ghost")}
              onClick={() =>
                props.onRemove ? props.onRemove(i) : props.onChange(items.filter((_, j) => j !== i))
              }
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      <button
        type="button"
        className={buttonClass("secondary")}
        disabled={items.length >= props.max}
        onClick={() => props.onChange([...items, ""])}
      >
        Add {props.label.toLowerCase()}
      </button>
    </div>
  );
}
