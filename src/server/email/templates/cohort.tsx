import { Button, Heading, Section, Text } from "@react-email/components";
import { EmailLayout } from "./layout";
import { styles } from "./theme";

/** A cohort's start moved: the new date, in the member's own zone and the cohort's. */
export type CohortRescheduledProps = {
  name: string | null;
  cohortName: string;
  programTitle: string;
  /** "Monday 12 April 2027" in the member's zone. */
  startsOn: string;
  /** The cohort's zone, named when it is not the member's. */
  cohortZone: string | null;
  url: string;
  appUrl: string;
};

export const cohortRescheduledSubject = (p: { cohortName: string }) =>
  `New dates for ${p.cohortName}`;

export function CohortRescheduledEmail(p: CohortRescheduledProps) {
  return (
    <EmailLayout
      preview={`${p.cohortName} now starts on ${p.startsOn}.`}
      appUrl={p.appUrl}
      footerNote="You get this because you are in this cohort. Leave it any time from its page."
    >
      <Heading as="h1" style={styles.heading}>
        {p.name?.trim() ? `${p.name.trim()}, the` : "The"} dates of {p.cohortName} have changed
      </Heading>
      <Text style={styles.text}>
        Your coach moved the start of {p.cohortName} ({p.programTitle}). It now starts on{" "}
        <strong>{p.startsOn}</strong>
        {p.cohortZone ? ` (the cohort keeps ${p.cohortZone} time)` : ""}, and each module opens on
        its day from then.
      </Text>
      <Text style={styles.text}>Nothing you have written is affected.</Text>
      <Section style={{ textAlign: "center", margin: "24px 0 8px" }}>
        <Button href={p.url} style={styles.button}>
          See the schedule
        </Button>
      </Section>
    </EmailLayout>
  );
}

/** A waitlisted member got a seat. */
export type CohortSeatProps = {
  name: string | null;
  cohortName: string;
  programTitle: string;
  url: string;
  appUrl: string;
};

export const cohortSeatSubject = (p: { cohortName: string }) =>
  `You have a seat in ${p.cohortName}`;

export function CohortSeatEmail(p: CohortSeatProps) {
  return (
    <EmailLayout
      preview={`A seat opened in ${p.cohortName}, and it is yours.`}
      appUrl={p.appUrl}
      footerNote="You get this because you joined this cohort's waitlist."
    >
      <Heading as="h1" style={styles.heading}>
        {p.name?.trim() ? `${p.name.trim()}, a` : "A"} seat opened for you
      </Heading>
      <Text style={styles.text}>
        You were on the waitlist of {p.cohortName} ({p.programTitle}). A seat opened, and you have
        it now: the cohort's schedule and its first steps are waiting for you.
      </Text>
      <Text style={styles.text}>
        If your plans changed, you can leave from the cohort's page and the seat goes to the next
        person waiting.
      </Text>
      <Section style={{ textAlign: "center", margin: "24px 0 8px" }}>
        <Button href={p.url} style={styles.button}>
          Open the cohort
        </Button>
      </Section>
    </EmailLayout>
  );
}

/** A coach's one-click nudge: warm, no guilt, nothing private. */
export type CohortNudgeProps = {
  name: string | null;
  coachName: string;
  cohortName: string;
  url: string;
  appUrl: string;
  /** The member's preference page and one-click stop (every nudge carries them). */
  links?: { preferences: string; unsubscribe: string; category: string };
};

export const cohortNudgeSubject = (p: { cohortName: string }) =>
  `${p.cohortName} is thinking of you`;

export function CohortNudgeEmail(p: CohortNudgeProps) {
  return (
    <EmailLayout
      preview="No catching up required: pick up wherever the group is."
      appUrl={p.appUrl}
      footerNote="Your coach sent this from the cohort's page. Coaches can send at most one a day."
      nudgeLinks={p.links}
    >
      <Heading as="h1" style={styles.heading}>
        {p.name?.trim() ? `Hello ${p.name.trim()},` : "Hello,"}
      </Heading>
      <Text style={styles.text}>
        {p.coachName} wanted to say the group in {p.cohortName} is glad you are part of it. Life
        gets full; there is nothing to catch up on in one go.
      </Text>
      <Text style={styles.text}>
        When you have ten minutes, the cohort's page shows where the group is and one step to start
        with. Earlier steps will wait for you.
      </Text>
      <Section style={{ textAlign: "center", margin: "24px 0 8px" }}>
        <Button href={p.url} style={styles.button}>
          See where the group is
        </Button>
      </Section>
    </EmailLayout>
  );
}
