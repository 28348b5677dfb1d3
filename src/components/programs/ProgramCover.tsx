import clsx from "clsx";

/**
 * Dark backgrounds that all carry white text at more than 7:1 (WCAG AAA), in the product's
 * earthy range. A program without an uploaded cover gets one of them, picked from its title.
 */
const PALETTE = [
  { bg: "#234f46", band: "#2f6b5e" },
  { bg: "#7a3a1f", band: "#964a28" },
  { bg: "#2d3f66", band: "#3b5284" },
  { bg: "#4f3466", band: "#664584" },
  { bg: "#5c4a12", band: "#76601a" },
  { bg: "#1f4d5c", band: "#2a6577" },
];

/** A stable small hash (FNV-1a): the same title always gets the same colours. */
export function coverHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A program's cover: the coach's uploaded image, else a generated one (colour from the title,
 * the title set on it). Decorative beside the title, so hidden from screen readers.
 */
export function ProgramCover(props: {
  title: string;
  coverImage: string | null;
  className?: string;
  size?: "card" | "hero";
  /** The hero sits right above the page's heading: no need to say the title twice. */
  showTitle?: boolean;
}) {
  const shape = clsx(
    "w-full overflow-hidden",
    props.size === "hero" ? "h-32 rounded-2xl sm:h-44" : "aspect-[3/1]",
    props.className,
  );
  if (props.coverImage) {
    return (
      // biome-ignore lint/performance/noImgElement: our own upload, served as is
      <img
        src={props.coverImage}
        alt=""
        aria-hidden="true"
        data-cover="uploaded"
        className={clsx(shape, "object-cover")}
      />
    );
  }
  const hash = coverHash(props.title);
  const colours = PALETTE[hash % PALETTE.length] ?? PALETTE[0]!;
  const angle = 100 + (hash % 5) * 15;
  return (
    <div
      aria-hidden="true"
      data-cover="generated"
      className={clsx(shape, "relative flex items-end p-5")}
      style={{
        background: `linear-gradient(${angle}deg, ${colours.bg} 0%, ${colours.bg} 55%, ${colours.band} 100%)`,
      }}
    >
      <svg
        className="absolute top-0 right-0 h-full w-1/2 opacity-25"
        viewBox="0 0 100 100"
        preserveAspectRatio="xMaxYMid slice"
        role="presentation"
      >
        <circle cx="70" cy={30 + (hash % 30)} r="28" fill="none" stroke="white" strokeWidth="2" />
        <circle cx="85" cy="75" r="16" fill="white" fillOpacity="0.4" />
        <circle cx={45 + (hash % 20)} cy="80" r="8" fill="white" fillOpacity="0.6" />
      </svg>
      {props.showTitle !== false && (
        <span className="relative font-serif text-xl text-white break-words">{props.title}</span>
      )}
    </div>
  );
}
