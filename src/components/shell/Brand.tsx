import Link from "@/components/ui/Link";

export function Brand({ href = "/" }: { href?: string }) {
  return (
    <Link href={href} className="flex items-center gap-2 font-serif text-xl font-semibold text-ink">
      <svg
        aria-hidden="true"
        viewBox="0 0 24 24"
        className="h-7 w-7 text-brand"
        fill="currentColor"
      >
        <circle cx="8" cy="9" r="4" opacity="0.85" />
        <circle cx="16" cy="9" r="4" opacity="0.6" />
        <circle cx="12" cy="16" r="4" opacity="0.75" />
      </svg>
      Kindred
    </Link>
  );
}
