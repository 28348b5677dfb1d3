"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { PublicCallError, publicMutation } from "@/lib/public-call";
import { Field } from "../ui/Field";
import { Notice } from "../ui/Notice";
import { buttonClass, inputClass } from "../ui/styles";

type DemoAccount = { email: string; name: string; role: string; blurb: string };

export function SignInForm(props: { callbackUrl?: string; demoAccounts: DemoAccount[] }) {
  const router = useRouter();
  const [email, setEmail] = useState("");
  const [errors, setErrors] = useState<{ message?: string; email?: string }>({});
  const [pendingDemo, setPendingDemo] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function send(address: string, demo: boolean) {
    setErrors({});
    setPending(true);
    try {
      const input = props.callbackUrl
        ? { email: address, callbackUrl: props.callbackUrl }
        : { email: address };
      const result = await publicMutation<{ email: string; emailId?: string }>(
        "auth.requestLink",
        input,
      );
      const to = encodeURIComponent(result.email);
      // The demo mailbox follows this very email, not the newest to the address: another
      // visitor may have asked for the same demo account a moment later.
      const own = result.emailId ? `&message=${encodeURIComponent(result.emailId)}` : "";
      router.push(demo ? `/mailbox?to=${to}${own}` : `/signin/check-email?email=${to}`);
    } catch (error) {
      const { message, fields } =
        error instanceof PublicCallError ? error : new PublicCallError(String(error), {});
      setErrors({ message: fields.email ? undefined : message, email: fields.email });
      setPendingDemo(null);
      setPending(false);
    }
  }

  return (
    <div className="space-y-6">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void send(email, false);
        }}
        className="space-y-4"
      >
        {errors.message && (
          <Notice tone="danger" role="alert">
            {errors.message}
          </Notice>
        )}
        <Field id="email" label="Email address" error={errors.email}>
          {(aria) => (
            <input
              {...aria}
              type="email"
              name="email"
              autoComplete="email"
              inputMode="email"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              className={inputClass(Boolean(errors.email))}
              placeholder="you@example.com"
            />
          )}
        </Field>
        <button type="submit" className={`${buttonClass("primary")} w-full`} disabled={pending}>
          {pending && !pendingDemo ? "Sending your link…" : "Email me a sign-in link"}
        </button>
        <p className="text-sm text-muted">
          No password. We email you a link that works once, for 30 minutes. New here? The same link
          creates your account.
        </p>
      </form>

      {props.demoAccounts.length > 0 && (
        <section aria-labelledby="demo-accounts" className="border-t border-line pt-6">
          <h2 id="demo-accounts" className="font-serif text-lg text-ink">
            Demo accounts
          </h2>
          <p className="mt-1 text-sm text-muted">
            Each button sends that account a real sign-in link and opens the demo mailbox so you can
            click it.
          </p>
          <ul className="mt-3 space-y-2">
            {props.demoAccounts.map((account) => (
              <li key={account.email}>
                <button
                  type="button"
                  className={`${buttonClass("secondary")} w-full justify-between text-left`}
                  disabled={pending}
                  onClick={() => {
                    setPendingDemo(account.email);
                    void send(account.email, true);
                  }}
                >
                  <span>
                    Sign in as {account.name}{" "}
                    <span className="font-normal text-muted">
                      ({account.role.toLowerCase()}) — {account.blurb}
                    </span>
                  </span>
                  <span aria-hidden="true">{pendingDemo === account.email ? "…" : "→"}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
