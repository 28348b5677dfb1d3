import { Button, Heading, Section, Text } from "@react-email/components";
import { EmailLayout } from "./layout";
import { styles } from "./theme";

/** A renewal could not be charged: what happens now, and the one thing to do. */
export type PaymentFailedProps = {
  name: string | null;
  planName: string;
  /** "£12.00" */
  amount: string;
  /** "Tuesday 8 December 2026", in the member's zone: when access would end if nothing changes. */
  accessUntil: string;
  /** "Friday 4 December 2026", or null when Stripe will not try again by itself. */
  nextAttempt: string | null;
  url: string;
  appUrl: string;
};

export const paymentFailedSubject = (p: { planName: string }) =>
  `Your ${p.planName} payment did not go through`;

export function PaymentFailedEmail(p: PaymentFailedProps) {
  return (
    <EmailLayout
      preview={`Nothing is lost. Update your card before ${p.accessUntil} to keep your access.`}
      appUrl={p.appUrl}
      footerNote="You get this because you have a Kindred membership. We send it once per failed payment."
    >
      <Heading as="h1" style={styles.heading}>
        {p.name?.trim() ? `${p.name.trim()}, your` : "Your"} payment did not go through
      </Heading>
      <Text style={styles.text}>
        We could not charge {p.amount} for {p.planName}. This happens: cards expire, banks say no.
        You keep full access until <strong>{p.accessUntil}</strong>
        {p.nextAttempt ? `, and we will try the card again on ${p.nextAttempt}` : ""}.
      </Text>
      <Text style={styles.text}>
        Your journal is yours whatever happens: if the membership ends, you can still read and
        export everything you have written.
      </Text>
      <Section style={{ textAlign: "center", margin: "24px 0 8px" }}>
        <Button href={p.url} style={styles.button}>
          Update your card
        </Button>
      </Section>
    </EmailLayout>
  );
}

/** A trial ends in a few days: when, what happens then, and how to change it. */
export type TrialEndingProps = {
  name: string | null;
  planName: string;
  /** "Saturday 5 December 2026", in the member's zone. */
  trialEnds: string;
  /** "£12.00 a month". */
  price: string;
  /** False when the member has already cancelled: the trial ends and nothing is charged. */
  renews: boolean;
  url: string;
  appUrl: string;
};

export const trialEndingSubject = (p: { planName: string; trialEnds: string }) =>
  `Your ${p.planName} trial ends on ${p.trialEnds}`;

export function TrialEndingEmail(p: TrialEndingProps) {
  const greeting = p.name?.trim() ? `${p.name.trim()}, your` : "Your";
  return (
    <EmailLayout
      preview={
        p.renews
          ? `${p.price} from ${p.trialEnds}, unless you cancel before then.`
          : `Nothing will be charged. Your access ends on ${p.trialEnds}.`
      }
      appUrl={p.appUrl}
      footerNote="You get this because you started a Kindred trial. We send it once per trial."
    >
      <Heading as="h1" style={styles.heading}>
        {greeting} trial ends on {p.trialEnds}
      </Heading>
      {p.renews ? (
        <Text style={styles.text}>
          Your {p.planName} membership then continues at <strong>{p.price}</strong>, charged to the
          card you gave. Nothing to do if you want to stay. If you would rather not, cancel before{" "}
          {p.trialEnds} and you will not be charged.
        </Text>
      ) : (
        <Text style={styles.text}>
          You have cancelled, so nothing will be charged: your access to {p.planName} ends on{" "}
          {p.trialEnds}. If you change your mind, you can keep it from your billing page.
        </Text>
      )}
      <Text style={styles.text}>
        Your journal is yours either way: you can always read and export what you have written.
      </Text>
      <Section style={{ textAlign: "center", margin: "24px 0 8px" }}>
        <Button href={p.url} style={styles.button}>
          {p.renews ? "Review your membership" : "Keep my membership"}
        </Button>
      </Section>
    </EmailLayout>
  );
}
