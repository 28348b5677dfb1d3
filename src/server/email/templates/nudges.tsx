import { Button, Heading, Section, Text } from "@react-email/components";
import { EmailLayout } from "./layout";
import { styles } from "./theme";

export type NudgeLinks = { preferences: string; unsubscribe: string; category: string };

export type ReflectionReminderProps = {
  name: string | null;
  programTitle: string;
  stepTitle: string | null;
  url: string;
  appUrl: string;
  links: NudgeLinks;
};

export const reflectionReminderSubject = (p: { programTitle: string }) =>
  `A few quiet minutes for ${p.programTitle}?`;

export function ReflectionReminderEmail(p: ReflectionReminderProps) {
  return (
    <EmailLayout
      preview={p.stepTitle ? `Next: ${p.stepTitle}` : "Your reflection is waiting for you."}
      appUrl={p.appUrl}
      footerNote="You asked for this reminder at this time. It never comes twice in a day."
      nudgeLinks={p.links}
    >
      <Heading as="h1" style={styles.heading}>
        {p.name?.trim() ? `Hello ${p.name.trim()},` : "Hello,"}
      </Heading>
      <Text style={styles.text}>
        {p.stepTitle
          ? `Your next step in ${p.programTitle} is “${p.stepTitle}”.`
          : `${p.programTitle} is where you left it.`}{" "}
        Ten minutes is enough; what you wrote before is kept, private to you.
      </Text>
      <Section style={{ textAlign: "center", margin: "24px 0 8px" }}>
        <Button href={p.url} style={styles.button}>
          Continue reflecting
        </Button>
      </Section>
    </EmailLayout>
  );
}

/** The other daily nudges share one calm shape: a greeting, a few lines, one action. */
export type DailyNudgeProps = {
  name: string | null;
  appUrl: string;
  url: string;
  links: NudgeLinks;
} & (
  | { topic: "commitment"; dueDay: string }
  | { topic: "reach-out" }
  | { topic: "re-engagement" }
  | { topic: "answer-again"; prompt: string; programTitle: string }
  | { topic: "session"; title: string; cohortName: string; when: string; soon: boolean }
  | { topic: "digest"; cohortName: string; posts: number; shared: number; opened: string[] }
);

export function dailyNudgeSubject(p: DailyNudgeProps): string {
  if (p.topic === "digest") return `This week in ${p.cohortName}`;
  if (p.topic === "session") return `${p.soon ? "In an hour" : "Tomorrow"}: ${p.title}`;
  if (p.topic === "commitment") return "How did your commitment go?";
  if (p.topic === "reach-out") return "Someone on your map, today";
  if (p.topic === "re-engagement") return "No catching up required";
  return "Time to answer again";
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function dailyNudgeText(p: DailyNudgeProps): { lines: string[]; action: string } {
  if (p.topic === "digest") {
    const happened = [
      p.posts ? count(p.posts, "new post", "new posts") : null,
      p.shared ? count(p.shared, "shared answer", "shared answers") : null,
    ].filter(Boolean);
    return {
      lines: [
        happened.length
          ? `Last week in ${p.cohortName}: ${happened.join(" and ")}.`
          : `Last week in ${p.cohortName} was a quiet one in the space.`,
        ...(p.opened.length ? [`Opened for the group: ${p.opened.join(", ")}.`] : []),
        "Read at your own pace; there is nothing to catch up on in one go.",
      ],
      action: "Open the group's space",
    };
  }
  if (p.topic === "session") {
    return {
      lines: [
        `${p.cohortName}'s live session “${p.title}” starts ${p.soon ? "in an hour" : "tomorrow"}: ${p.when}, your time.`,
        "Come as you are; nothing to prepare.",
      ],
      action: "See the session",
    };
  }
  // Nothing private goes into an email: not the commitment's words, not the person's name.
  if (p.topic === "commitment") {
    return {
      lines: [
        `A commitment you made was due on ${p.dueDay}.`,
        "When you have a moment, say how it went. Done or not yet, both are worth noting.",
      ],
      action: "Check in",
    };
  }
  if (p.topic === "re-engagement") {
    return {
      lines: [
        "It has been a little while, and that is fine: reflection keeps.",
        "Whenever you want to come back, everything you wrote is where you left it. We will not write again about this until you do.",
      ],
      action: "Open Kindred",
    };
  }
  if (p.topic === "reach-out") {
    return {
      lines: [
        "You planned to reach out to someone on your community map today.",
        "A short message is enough; your map keeps the rest.",
      ],
      action: "Open your map",
    };
  }
  return {
    lines: [
      `It is time to answer “${p.prompt}” in ${p.programTitle} again.`,
      "Your earlier answer is kept, private to you; afterwards you can see what has changed.",
    ],
    action: "Answer again",
  };
}

export function DailyNudgeEmail(p: DailyNudgeProps) {
  const { lines, action } = dailyNudgeText(p);
  return (
    <EmailLayout
      preview={lines[0] ?? ""}
      appUrl={p.appUrl}
      footerNote={
        p.topic === "session"
          ? "Sent a day and an hour before each live session of your group."
          : p.topic === "digest"
            ? "Sent on Monday mornings in your group's time zone, only after a week with news."
            : "At the time you chose for reminders. Never more than one a day."
      }
      nudgeLinks={p.links}
    >
      <Heading as="h1" style={styles.heading}>
        {p.name?.trim() ? `Hello ${p.name.trim()},` : "Hello,"}
      </Heading>
      {lines.map((line) => (
        <Text key={line} style={styles.text}>
          {line}
        </Text>
      ))}
      <Section style={{ textAlign: "center", margin: "24px 0 8px" }}>
        <Button href={p.url} style={styles.button}>
          {action}
        </Button>
      </Section>
    </EmailLayout>
  );
}
