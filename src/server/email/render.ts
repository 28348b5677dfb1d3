import { render } from "@react-email/render";
import type { ReactElement } from "react";
import { createElement } from "react";
import {
  EmailChangedEmail,
  type EmailChangedProps,
  EmailChangeEmail,
  type EmailChangeProps,
  emailChangedSubject,
  emailChangeSubject,
} from "./templates/account";
import {
  PaymentFailedEmail,
  type PaymentFailedProps,
  paymentFailedSubject,
  TrialEndingEmail,
  type TrialEndingProps,
  trialEndingSubject,
} from "./templates/billing";
import {
  CohortNudgeEmail,
  type CohortNudgeProps,
  CohortRescheduledEmail,
  type CohortRescheduledProps,
  CohortSeatEmail,
  type CohortSeatProps,
  cohortNudgeSubject,
  cohortRescheduledSubject,
  cohortSeatSubject,
} from "./templates/cohort";
import {
  AccountDeletionEmail,
  type AccountDeletionProps,
  accountDeletionSubject,
} from "./templates/deletion";
import {
  AccountExportReadyEmail,
  type AccountExportReadyProps,
  accountExportReadySubject,
} from "./templates/export";
import {
  DailyNudgeEmail,
  type DailyNudgeProps,
  dailyNudgeSubject,
  ReflectionReminderEmail,
  type ReflectionReminderProps,
  reflectionReminderSubject,
} from "./templates/nudges";
import { SignInEmail, type SignInEmailProps, signInSubject } from "./templates/sign-in";
import { WelcomeEmail, type WelcomeEmailProps, welcomeSubject } from "./templates/welcome";

/** Every email Kindred sends, as data: what a job or service asks for, rendered here. */
export type EmailTemplate =
  | ({ kind: "sign-in" } & SignInEmailProps)
  | ({ kind: "welcome" } & WelcomeEmailProps)
  | ({ kind: "email-change" } & EmailChangeProps)
  | ({ kind: "email-changed" } & EmailChangedProps)
  | ({ kind: "cohort-rescheduled" } & CohortRescheduledProps)
  | ({ kind: "cohort-seat" } & CohortSeatProps)
  | ({ kind: "cohort-nudge" } & CohortNudgeProps)
  | ({ kind: "payment-failed" } & PaymentFailedProps)
  | ({ kind: "trial-ending" } & TrialEndingProps)
  | ({ kind: "reflection-reminder" } & ReflectionReminderProps)
  | ({ kind: "daily-nudge" } & DailyNudgeProps)
  | ({ kind: "account-export-ready" } & AccountExportReadyProps)
  | ({ kind: "account-deletion" } & AccountDeletionProps);

export type RenderedEmail = { subject: string; html: string; text: string };

function compose(template: EmailTemplate): { subject: string; element: ReactElement } {
  switch (template.kind) {
    case "sign-in":
      return { subject: signInSubject, element: createElement(SignInEmail, template) };
    case "welcome":
      return { subject: welcomeSubject, element: createElement(WelcomeEmail, template) };
    case "email-change":
      return { subject: emailChangeSubject, element: createElement(EmailChangeEmail, template) };
    case "email-changed":
      return { subject: emailChangedSubject, element: createElement(EmailChangedEmail, template) };
    case "cohort-rescheduled":
      return {
        subject: cohortRescheduledSubject(template),
        element: createElement(CohortRescheduledEmail, template),
      };
    case "cohort-nudge":
      return {
        subject: cohortNudgeSubject(template),
        element: createElement(CohortNudgeEmail, template),
      };
    case "payment-failed":
      return {
        subject: paymentFailedSubject(template),
        element: createElement(PaymentFailedEmail, template),
      };
    case "trial-ending":
      return {
        subject: trialEndingSubject(template),
        element: createElement(TrialEndingEmail, template),
      };
    case "daily-nudge":
      return {
        subject: dailyNudgeSubject(template),
        element: createElement(DailyNudgeEmail, template),
      };
    case "reflection-reminder":
      return {
        subject: reflectionReminderSubject(template),
        element: createElement(ReflectionReminderEmail, template),
      };
    case "cohort-seat":
      return {
        subject: cohortSeatSubject(template),
        element: createElement(CohortSeatEmail, template),
      };
    case "account-export-ready":
      return {
        subject: accountExportReadySubject,
        element: createElement(AccountExportReadyEmail, template),
      };
    case "account-deletion":
      return {
        subject: accountDeletionSubject,
        element: createElement(AccountDeletionEmail, template),
      };
  }
}

/** HTML plus a plain-text part for every email (spam filters and some readers need both). */
export async function renderEmail(template: EmailTemplate): Promise<RenderedEmail> {
  const { subject, element } = compose(template);
  const [html, text] = await Promise.all([
    render(element),
    // html-to-text shouts headings in capitals by default; Kindred's voice is calmer than that.
    render(element, {
      plainText: true,
      htmlToTextOptions: { selectors: [{ selector: "h1", options: { uppercase: false } }] },
    }),
  ]);
  return { subject, html, text };
}
