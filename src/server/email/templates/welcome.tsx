import { Button, Heading, Section, Text } from "@react-email/components";
import { EmailLayout } from "./layout";
import { styles } from "./theme";

export type WelcomeEmailProps = { name: string | null; appUrl: string };

export const welcomeSubject = "Welcome to Kindred";

export function WelcomeEmail({ name, appUrl }: WelcomeEmailProps) {
  const greeting = name?.trim() ? `Welcome, ${name.trim()}.` : "Welcome.";
  return (
    <EmailLayout preview="A quiet place to reflect, at your own pace." appUrl={appUrl}>
      <Heading as="h1" style={styles.heading}>
        {greeting}
      </Heading>
      <Text style={styles.text}>
        Kindred is a quiet place to reflect, alone or alongside others. There is no rush: begin a
        program when you are ready, answer in your own words, and come back to what matters.
      </Text>
      <Text style={styles.text}>
        You choose how often we write to you. Reminders follow your own pace, and you can pause them
        for a quiet week at any time.
      </Text>
      <Section style={{ textAlign: "center", margin: "24px 0 8px" }}>
        <Button href={`${appUrl}/dashboard`} style={styles.button}>
          Open Kindred
        </Button>
      </Section>
    </EmailLayout>
  );
}
