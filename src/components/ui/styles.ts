import clsx from "clsx";

// Class recipes shared by server and client components (no runtime UI library).
export const buttonClass = (variant: "primary" | "secondary" | "danger" | "ghost" = "primary") =>
  clsx(
    "inline-flex min-h-11 items-center justify-center gap-2 rounded-lg px-4 py-2 text-sm font-semibold transition-colors disabled:cursor-not-allowed disabled:opacity-60",
    variant === "primary" && "bg-brand text-white hover:bg-brand-dark",
    variant === "secondary" && "border border-line bg-card text-ink hover:bg-brand-soft",
    variant === "danger" &&
      "border border-danger/30 bg-danger-soft text-danger hover:bg-danger hover:text-white",
    variant === "ghost" && "text-brand underline-offset-4 hover:underline",
  );

export const inputClass = (invalid = false) =>
  clsx(
    "block w-full min-h-11 rounded-lg border bg-white px-3 py-2 text-base text-ink placeholder:text-muted/70",
    invalid ? "border-danger" : "border-line",
  );

export const cardClass = "rounded-2xl border border-line bg-card p-5 shadow-sm sm:p-6";
