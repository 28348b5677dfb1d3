import Link from "next/link";

export function DemoBanner() {
  return (
    <div className="bg-warn-soft px-4 py-2 text-center text-sm text-warn">
      Demo deployment: emails land in the{" "}
      <Link href="/mailbox" className="font-semibold underline">
        built-in mailbox
      </Link>{" "}
      and payments are simulated.
    </div>
  );
}
