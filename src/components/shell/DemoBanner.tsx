import Link from "@/components/ui/Link";

/** One line at any width: a short wording below `sm`, the full sentence above it. */
export function DemoBanner() {
  return (
    <div className="bg-warn-soft px-4 py-1.5 text-center text-xs text-warn sm:py-2 sm:text-sm">
      <p className="truncate sm:hidden">
        Demo: emails go to the{" "}
        <Link href="/mailbox" className="font-semibold underline">
          mailbox
        </Link>
        ; no real payments.
      </p>
      <p className="hidden sm:block">
        Demo deployment: emails land in the{" "}
        <Link href="/mailbox" className="font-semibold underline">
          built-in mailbox
        </Link>{" "}
        and payments are simulated.
      </p>
    </div>
  );
}
