import { Button, Heading, Link, Section, Text } from "@react-email/components";
import { EmailLayout } from "./layout";
import { styles } from "./theme";

/** "Export all my data" is done: where to get it, and until when. */
export type AccountExportReadyProps = {
  /** The download itself (asks the member to sign in first when they are not). */
  url: string;
  /** Settings, where the export also shows. */
  settingsUrl: string;
  /** "8 December 2026", in the member's time zone. */
  expiresOn: string;
  sizeLabel: string;
  appUrl: string;
};

export const accountExportReadySubject = "Your Kindred export is ready";

export function AccountExportReadyEmail({
  url,
  settingsUrl,
  expiresOn,
  sizeLabel,
  appUrl,
}: AccountExportReadyProps) {
  return (
    <EmailLayout
      preview={`A ZIP of all your Kindred data, to download until ${expiresOn}.`}
      appUrl={appUrl}
      footerNote="You received this because you asked Kindred for a copy of your data."
    >
      <Heading as="h1" style={styles.heading}>
        Your export is ready
      </Heading>
      <Text style={styles.text}>
        {`Everything Kindred holds about you is in one ZIP (${sizeLabel}): your profile, journal, map, commitments, practices, cohort posts, payments and the emails we sent you, as JSON, with your journal also as a readable Markdown file.`}
      </Text>
      <Section style={{ textAlign: "center", margin: "24px 0" }}>
        <Button href={url} style={styles.button}>
          Download your data
        </Button>
      </Section>
      <Text style={styles.small}>
        {`The link works until ${expiresOn}, and only when you are signed in to Kindred. After that the file is deleted; you can ask for a new one in your settings:`}
      </Text>
      <Text style={styles.small}>
        <Link href={settingsUrl} style={styles.link}>
          {settingsUrl}
        </Link>
      </Text>
      <Text style={styles.small}>
        If you did not ask for this, sign out everywhere from your settings and tell your Kindred
        community's admin.
      </Text>
    </EmailLayout>
  );
}
