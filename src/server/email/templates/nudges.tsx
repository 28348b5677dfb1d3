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
