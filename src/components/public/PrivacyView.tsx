import Link from "@/components/ui/Link";
import { cardClass } from "@/components/ui/styles";
import { inventoryByArea, keptFor } from "@/server/privacy/inventory";
import { RETENTION_RULES } from "@/server/privacy/retention";

const PROMISES = [
  "What you write in your journal and on your community map is yours alone. Coaches and cohorts see an answer only when you share it, and you can take a share back.",
  "Emails come only in the kinds you keep switched on, at the times you choose, and never two nudges in one day.",
  "What you write in your journal and on your map is encrypted in the database with a key of your own. A copy of the database, or a backup, shows none of it without the deployment's master key, which is kept apart from them.",
  "Payment cards go to Stripe and never through Kindred.",
  "You can delete your account from your settings at any time. Everything that is yours goes, your membership is cancelled and nothing more is emailed to you; only your posts and comments in cohorts stay, signed “A former member”, and past receipts, without your name. Your key is destroyed with the account, so what you wrote can no longer be read from older backups either.",
  "Nothing is sold or shown to advertisers. There are no third-party trackers on any page.",
];

/**
 * The privacy page, generated from src/server/privacy: the inventory of every table (typed by
 * Prisma's list of models, so a new table must be described before it compiles) and the
 * retention rules the hourly job applies.
 */
export function PrivacyView() {
  const areas = inventoryByArea();
  const impersonal = areas.flatMap((a) => a.tables.filter((t) => t.impersonal));
  return (
    <main id="main" className="mx-auto max-w-3xl px-4 pb-16">
      <div className="py-10">
        <h1 className="font-serif text-4xl text-ink">Privacy</h1>
        <p className="mt-3 text-lg text-muted">
          What Kindred keeps about you, who can read it, and for how long. This page is built from
          the same lists the code uses to store and to delete, so it says what actually happens.
        </p>
      </div>

      <section aria-labelledby="promises" className={cardClass}>
        <h2 id="promises" className="font-serif text-2xl text-ink">
          In short
        </h2>
        <ul className="mt-3 list-disc space-y-2 pl-5">
          {PROMISES.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="removed" className="mt-10">
        <h2 id="removed" className="font-serif text-2xl text-ink">
          Removed on a schedule
        </h2>
        <p className="mt-2 text-muted">
          Every hour Kindred deletes what is past its time. These are kept only for a while:
        </p>
        <ul className="mt-4 divide-y divide-line rounded-lg border border-line">
          {RETENTION_RULES.map((rule) => (
            <li key={rule.id} className="flex flex-col gap-1 p-4 sm:flex-row sm:justify-between">
              <span>{rule.what}</span>
              <span className="font-semibold text-ink sm:max-w-[14rem] sm:text-right">
                {rule.kept}
              </span>
            </li>
          ))}
        </ul>
      </section>

      {areas.map(({ area, tables }) => {
        const personal = tables.filter((t) => !t.impersonal);
        if (personal.length === 0) return null;
        const id = `area-${area.toLowerCase().replace(/[^a-z]+/g, "-")}`;
        return (
          <section key={area} aria-labelledby={id} className="mt-10">
            <h2 id={id} className="font-serif text-2xl text-ink">
              {area}
            </h2>
            <div
              aria-hidden="true"
              className="mt-4 hidden gap-4 px-4 pb-2 text-xs font-semibold uppercase tracking-wide text-muted sm:grid sm:grid-cols-[1fr_12rem_11rem]"
            >
              <span>What</span>
              <span>Who can read it</span>
              <span>Kept</span>
            </div>
            <ul className="mt-3 divide-y divide-line rounded-lg border border-line bg-card sm:mt-0">
              {personal.map((t) => (
                <li key={t.table} className="p-4">
                  <dl className="grid gap-1 text-sm sm:grid-cols-[1fr_12rem_11rem] sm:gap-4">
                    <dt className="sr-only">What</dt>
                    <dd className="font-semibold text-ink">
                      {t.holds}
                      {t.sealed ? (
                        <span className="mt-1 block text-xs font-normal text-muted">
                          {t.sealed === "program"
                            ? "Encrypted with the program's own key"
                            : "Encrypted with your own key"}
                          {t.sealedExcept ? `, except ${t.sealedExcept}` : ""}
                        </span>
                      ) : null}
                    </dd>
                    <dt className="text-muted sm:sr-only">Who can read it</dt>
                    <dd>{t.readers}</dd>
                    <dt className="text-muted sm:sr-only">Kept</dt>
                    <dd>{keptFor(t)}</dd>
                  </dl>
                </li>
              ))}
            </ul>
          </section>
        );
      })}

      <section aria-labelledby="choices" className="mt-10">
        <h2 id="choices" className="font-serif text-2xl text-ink">
          Your choices
        </h2>
        <ul className="mt-3 list-disc space-y-2 pl-5">
          <li>
            Download your journal as Markdown or JSON from{" "}
            <Link href="/app/journal" className="font-semibold text-brand underline">
              your journal
            </Link>
            .
          </li>
          <li>
            Choose which emails come, and when, in{" "}
            <Link href="/settings/notifications" className="font-semibold text-brand underline">
              email settings
            </Link>
            ; every email has a one-click unsubscribe.
          </li>
          <li>
            Sign out of every browser, change your address or your profile in{" "}
            <Link href="/settings" className="font-semibold text-brand underline">
              settings
            </Link>
            .
          </li>
        </ul>
      </section>

      <section aria-labelledby="impersonal" className="mt-10 text-sm text-muted">
        <h2 id="impersonal" className="font-semibold">
          Also stored, with nothing about you in them
        </h2>
        <ul className="mt-2 list-disc space-y-1 pl-5">
          {impersonal.map((t) => (
            <li key={t.table}>{t.holds}</li>
          ))}
        </ul>
      </section>
    </main>
  );
}
