/** A member's picture, or their initials on a calm background when they have none. */
export function Avatar(props: { name: string; image: string | null; size?: "sm" | "lg" }) {
  const size = props.size === "lg" ? "size-14 text-lg" : "size-8 text-xs";
  const initials =
    props.name
      .split(/[\s@._-]+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((w) => w[0]!.toUpperCase())
      .join("") || "?";
  if (props.image) {
    return (
      // biome-ignore lint/performance/noImgElement: our own small uploads, already sized; next/image would add client code
      <img src={props.image} alt="" className={`${size} shrink-0 rounded-full object-cover`} />
    );
  }
  return (
    <span
      aria-hidden="true"
      className={`${size} inline-flex shrink-0 items-center justify-center rounded-full bg-brand-soft font-semibold text-brand-dark`}
    >
      {initials}
    </span>
  );
}
