"use client";

import { useId, useState } from "react";
import { CURRENCIES, minorPerMajor } from "@/lib/money";
import { SaveStatus } from "../programs-editor/SaveStatus";
import { useSave } from "../programs-editor/useSave";
import { trpc, useCall } from "../providers/trpc-client";
import { Field } from "../ui/Field";
import { buttonClass, inputClass } from "../ui/styles";

type Kind = "RECURRING" | "ONE_TIME";
type Interval = "MONTH" | "YEAR";
type Scope = "ALL_PROGRAMS" | "SOME_PROGRAMS" | "COHORT_SEAT";

export type PlanFormPlan = {
  id: string;
  name: string;
  description: string;
  kind: Kind;
  interval: Interval | null;
  amount: number;
  currency: string;
  trialDays: number;
  pausable: boolean;
  scope: Scope;
  active: boolean;
  programIds: string[];
  cohortId: string | null;
};

const SCOPES: Record<Kind, { value: Scope; label: string; hint: string }[]> = {
  RECURRING: [
    {
      value: "ALL_PROGRAMS",
      label: "All programs",
      hint: "Every program whose access is “through a plan”.",
    },
    { value: "SOME_PROGRAMS", label: "Chosen programs", hint: "Only the programs ticked below." },
  ],
  ONE_TIME: [
    { value: "SOME_PROGRAMS", label: "Chosen programs", hint: "Only the programs ticked below." },
    { value: "COHORT_SEAT", label: "A seat in a cohort", hint: "Opens the cohort's program." },
  ],
};

const KIND_LABEL: Record<Kind, string> = { RECURRING: "Recurring", ONE_TIME: "One-time" };
const INTERVAL_LABEL: Record<Interval, string> = { MONTH: "Monthly", YEAR: "Yearly" };

/** Minor units back to what a person types ("12.50", "1200"). */
function typed(amount: number, currency: string): string {
  const per = minorPerMajor(currency);
  return per === 1 ? String(amount) : (amount / per).toFixed(2);
}

const radioClass = "size-5 accent-brand";
const optionClass = "flex min-h-11 items-start gap-3 py-1 text-sm";

/**
 * Creates a plan or edits one (`plan`). Kind, interval, currency and scope are fixed once the
 * plan exists (its buyers pay in them), so editing shows them as text. Inputs go to the server as
 * typed: the price is checked there against the currency, and each message lands on its field.
 */
export function PlanForm(props: {
  plan?: PlanFormPlan;
  programs: { id: string; title: string; archived?: boolean }[];
  cohorts: { id: string; label: string }[];
}) {
  const uid = useId();
  const save = useSave();
  const create = useCall(trpc.billing.admin.createPlan.mutate);
  const update = useCall(trpc.billing.admin.updatePlan.mutate);
  const p = props.plan;
  const editing = Boolean(p);
  const initial = {
    name: p?.name ?? "",
    description: p?.description ?? "",
    kind: p?.kind ?? ("RECURRING" as Kind),
    interval: p?.interval ?? ("MONTH" as Interval),
    price: p ? typed(p.amount, p.currency) : "",
    currency: p?.currency ?? "usd",
    trialDays: String(p?.trialDays ?? 0),
    pausable: p?.pausable ?? false,
    scope: p?.scope ?? ("ALL_PROGRAMS" as Scope),
    programIds: p?.programIds ?? [],
    cohortId: p?.cohortId ?? props.cohorts[0]?.id ?? "",
    active: p?.active ?? true,
  };
  const [v, setV] = useState(initial);
  const set = (patch: Partial<typeof initial>) => setV((old) => ({ ...old, ...patch }));
  const f = save.fields;
  const recurring = v.kind === "RECURRING";
  const trialDays = v.trialDays.trim() === "" ? 0 : Number(v.trialDays);

  function setKind(kind: Kind) {
    const allowed = SCOPES[kind].some((s) => s.value === v.scope);
    set({ kind, ...(allowed ? {} : { scope: SCOPES[kind][0]!.value }) });
  }

  function toggleProgram(id: string, on: boolean) {
    set({ programIds: on ? [...v.programIds, id] : v.programIds.filter((x) => x !== id) });
  }

  async function submit() {
    const common = {
      name: v.name,
      description: v.description,
      price: v.price,
      trialDays: recurring ? trialDays : 0,
      pausable: recurring && v.pausable,
      programIds: v.scope === "SOME_PROGRAMS" ? v.programIds : [],
      cohortId: v.scope === "COHORT_SEAT" ? v.cohortId || null : null,
    };
    if (p) {
      await save.run(
        () => update.mutateAsync({ planId: p.id, ...common, active: v.active }),
        "Saved. A new price applies to new buyers; current subscribers keep theirs.",
      );
      return;
    }
    const made = await save.run(
      () =>
        create.mutateAsync({
          ...common,
          kind: v.kind,
          interval: recurring ? v.interval : null,
          currency: v.currency,
          scope: v.scope,
        }),
      `Plan “${v.name.trim()}” created and sent to Stripe.`,
    );
    if (made) setV(initial);
  }

  const price = minorPerMajor(v.currency) === 1 ? "1200" : "12.50";
  const summaryError = Object.keys(f).length
    ? "Please correct the highlighted fields."
    : save.error;
  const scopeHint = SCOPES[v.kind].find((s) => s.value === v.scope)?.hint;
  return (
    <form
      noValidate
      className="space-y-4"
      aria-label={p ? `Edit plan ${p.name}` : "New plan"}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <Field
        id={`${uid}-name`}
        label="Name"
        hint="What members see, like “Monthly membership”."
        error={f.name}
      >
        {(aria) => (
          <input
            {...aria}
            maxLength={80}
            value={v.name}
            onChange={(e) => set({ name: e.target.value })}
            className={inputClass(Boolean(f.name))}
          />
        )}
      </Field>
      <Field id={`${uid}-description`} label="Description (optional)" error={f.description}>
        {(aria) => (
          <textarea
            {...aria}
            rows={2}
            maxLength={500}
            value={v.description}
            onChange={(e) => set({ description: e.target.value })}
            className={inputClass(Boolean(f.description))}
          />
        )}
      </Field>

      {editing ? (
        <p className="text-sm text-muted">
          {KIND_LABEL[v.kind]}
          {recurring && v.interval ? `, ${INTERVAL_LABEL[v.interval].toLowerCase()}` : ""}, in{" "}
          {v.currency.toUpperCase()}, opening{" "}
          {v.scope === "ALL_PROGRAMS"
            ? "all programs"
            : v.scope === "COHORT_SEAT"
              ? "a cohort seat"
              : "chosen programs"}
          . These are fixed once a plan exists: make a new plan to change them.
        </p>
      ) : (
        <div className="grid gap-4 sm:grid-cols-2">
          <fieldset
            className="space-y-1"
            aria-describedby={f.kind ? `${uid}-kind-error` : undefined}
          >
            <legend className="text-sm font-semibold text-ink">Kind</legend>
            {(["RECURRING", "ONE_TIME"] as const).map((kind) => (
              <label key={kind} className={optionClass}>
                <input
                  type="radio"
                  name={`${uid}-kind`}
                  className={radioClass}
                  checked={v.kind === kind}
                  onChange={() => setKind(kind)}
                />
                {kind === "RECURRING" ? "Recurring (a subscription)" : "One-time (paid once)"}
              </label>
            ))}
            {f.kind && (
              <p id={`${uid}-kind-error`} className="text-sm font-medium text-danger">
                {f.kind}
              </p>
            )}
          </fieldset>
          {recurring && (
            <Field id={`${uid}-interval`} label="Billed" error={f.interval}>
              {(aria) => (
                <select
                  {...aria}
                  value={v.interval}
                  onChange={(e) => set({ interval: e.target.value as Interval })}
                  className={inputClass(Boolean(f.interval))}
                >
                  <option value="MONTH">Monthly</option>
                  <option value="YEAR">Yearly</option>
                </select>
              )}
            </Field>
          )}
        </div>
      )}

      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          id={`${uid}-price`}
          label={`Price${editing ? ` (${v.currency.toUpperCase()})` : ""}`}
          hint={`In whole units, like ${price}.${editing ? " A new price is for new buyers only." : ""}`}
          error={f.price}
        >
          {(aria) => (
            <input
              {...aria}
              inputMode="decimal"
              autoComplete="off"
              maxLength={16}
              value={v.price}
              onChange={(e) => set({ price: e.target.value })}
              className={inputClass(Boolean(f.price))}
            />
          )}
        </Field>
        {!editing && (
          <Field id={`${uid}-currency`} label="Currency" error={f.currency}>
            {(aria) => (
              <select
                {...aria}
                value={v.currency}
                onChange={(e) => set({ currency: e.target.value })}
                className={inputClass(Boolean(f.currency))}
              >
                {CURRENCIES.map((c) => (
                  <option key={c} value={c}>
                    {c.toUpperCase()}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
      </div>

      {recurring && (
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            id={`${uid}-trial`}
            label="Free trial (days)"
            hint="0 for none; at most 90."
            error={f.trialDays}
          >
            {(aria) => (
              <input
                {...aria}
                type="number"
                inputMode="numeric"
                min={0}
                max={90}
                value={v.trialDays}
                onChange={(e) => set({ trialDays: e.target.value })}
                className={inputClass(Boolean(f.trialDays))}
              />
            )}
          </Field>
          <div className="space-y-1 sm:pt-7">
            <label className="flex min-h-11 items-center gap-3 text-sm font-semibold">
              <input
                type="checkbox"
                className={radioClass}
                checked={v.pausable}
                aria-describedby={f.pausable ? `${uid}-pausable-error` : undefined}
                aria-invalid={f.pausable ? true : undefined}
                onChange={(e) => set({ pausable: e.target.checked })}
              />
              Members can pause it from their billing page
            </label>
            {f.pausable && (
              <p id={`${uid}-pausable-error`} className="text-sm font-medium text-danger">
                {f.pausable}
              </p>
            )}
          </div>
        </div>
      )}

      {!editing && (
        <fieldset
          className="space-y-1"
          aria-describedby={
            [scopeHint && `${uid}-scope-hint`, f.scope && `${uid}-scope-error`]
              .filter(Boolean)
              .join(" ") || undefined
          }
        >
          <legend className="text-sm font-semibold text-ink">Opens</legend>
          {SCOPES[v.kind].map((s) => (
            <label key={s.value} className={optionClass}>
              <input
                type="radio"
                name={`${uid}-scope`}
                className={radioClass}
                checked={v.scope === s.value}
                onChange={() => set({ scope: s.value })}
              />
              {s.label}
            </label>
          ))}
          {scopeHint && (
            <p id={`${uid}-scope-hint`} className="text-sm text-muted">
              {scopeHint}
            </p>
          )}
          {f.scope && (
            <p id={`${uid}-scope-error`} className="text-sm font-medium text-danger">
              {f.scope}
            </p>
          )}
        </fieldset>
      )}

      {v.scope === "SOME_PROGRAMS" && (
        <fieldset
          className="space-y-1"
          aria-describedby={f.programIds ? `${uid}-programs-error` : undefined}
        >
          <legend className="text-sm font-semibold text-ink">Programs</legend>
          {props.programs.length === 0 ? (
            <p className="text-sm text-muted">No programs yet. Create one under Programs first.</p>
          ) : (
            <div className="max-h-64 overflow-y-auto rounded-lg border border-line bg-white px-3 py-1">
              {props.programs.map((program) => (
                <label key={program.id} className={optionClass}>
                  <input
                    type="checkbox"
                    className={`${radioClass} mt-0.5 shrink-0`}
                    checked={v.programIds.includes(program.id)}
                    onChange={(e) => toggleProgram(program.id, e.target.checked)}
                  />
                  <span className="break-words">
                    {program.title}
                    {program.archived && <span className="text-muted"> (archived)</span>}
                  </span>
                </label>
              ))}
            </div>
          )}
          {f.programIds && (
            <p id={`${uid}-programs-error`} className="text-sm font-medium text-danger">
              {f.programIds}
            </p>
          )}
        </fieldset>
      )}

      {v.scope === "COHORT_SEAT" &&
        (props.cohorts.length === 0 ? (
          <div className="space-y-1">
            <p className="text-sm font-semibold text-ink">Cohort</p>
            <p className="text-sm text-muted">No cohorts yet. Schedule one under Cohorts first.</p>
            {f.cohortId && <p className="text-sm font-medium text-danger">{f.cohortId}</p>}
          </div>
        ) : (
          <Field
            id={`${uid}-cohort`}
            label="Cohort"
            hint="Buying a seat opens the cohort's program; it sells while the cohort's enrolment is open."
            error={f.cohortId}
          >
            {(aria) => (
              <select
                {...aria}
                value={v.cohortId}
                onChange={(e) => set({ cohortId: e.target.value })}
                className={inputClass(Boolean(f.cohortId))}
              >
                {props.cohorts.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ))}

      {editing && (
        <label className="flex min-h-11 items-center gap-3 text-sm font-semibold">
          <input
            type="checkbox"
            className={radioClass}
            checked={v.active}
            onChange={(e) => set({ active: e.target.checked })}
          />
          On sale (untick to retire it: current holders keep it, nobody new can buy it)
        </label>
      )}

      <SaveStatus ok={save.ok} error={summaryError} />
      <button type="submit" className={buttonClass("primary")} disabled={save.busy}>
        {save.busy ? "Saving…" : editing ? "Save plan" : "Create plan"}
      </button>
    </form>
  );
}
