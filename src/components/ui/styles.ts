// Class recipes shared by server and client components (no runtime UI library). The classes are
// defined once in app/globals.css (components layer): short names keep every page's HTML and RSC
// payload small, and utilities passed next to them still override them.
export type ButtonVariant = "primary" | "secondary" | "danger" | "ghost";

export const buttonClass = (variant: ButtonVariant = "primary") => `btn btn-${variant}`;

export const inputClass = (invalid = false) => (invalid ? "field field-invalid" : "field");

export const cardClass = "card";

/** A progress cell coloured by the share of a module done (the cell's text says the same). */
export function heatClass(done: number, total: number) {
  const ratio = total ? done / total : 0;
  return `heat heat-${ratio === 0 ? "none" : ratio < 0.5 ? "some" : ratio < 1 ? "most" : "all"}`;
}
