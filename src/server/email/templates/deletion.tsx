import { Button, Heading, Link, Section, Text } from "@react-email/components";
import { EmailLayout } from "./layout";
import { styles } from "./theme";

/**
 * To the member's own address: deleting the account waits for this link (someone at an
 * unlocked computer cannot delete it alone). The link opens a page with a final button.
 */
export type AccountDeletionProps = {
  url: string;
  expiresInMinutes: number;
  appUrl: string;
};

export const accountDeletionSubject = "Confirm deleting your Kindred account";

export function AccountDeletionEmail({ url, expiresInMinutes, appUrl }: AccountDeletionProps) {
  return (
    <EmailLayout
      preview="One more step: confirm that your Kindred account should be deleted."
      appUrl={appUrl}
      footerNote="You received this because someone asked, from this account's settings, to delete it."
    >
      <Heading as="h1" style={styles.heading}>
        Confirm deleting your account
      </Heading>
      <Text style={styles.text}>
        You asked to delete your Kindred account. The button below opens a page where you confirm
        it; once you do, your journal, your community map, your commitments and everything else that
        is yours is gone for good, and you are signed out everywhere.
      </Text>
      <Section style={{ textAlign: "center", margin: "24px 0" }}>
        <Button href={url} style={styles.button}>
          Review and delete my account
        </Button>
      </Section>
      <Text style={styles.small}>
        {`This link works once, for ${expiresInMinutes} minutes, in a browser signed in to this account. If the button does not work, paste this link into your browser:`}
      </Text>
      <Text style={styles.small}>
        <Link href={url} style={styles.link}>
          {url}
        </Link>
      </Text>
      <Text style={styles.small}>
        If this wasn't you, ignore this email: nothing is deleted without the final click. You may
        want to sign out your other devices from your settings.
      </Text>
    </EmailLayout>
  );
}
