import { Button, Heading, Link, Section, Text } from "@react-email/components";
import { EmailLayout } from "./layout";
import { styles } from "./theme";

/** To the new address: proves the member reads it before sign-in moves there. */
export type EmailChangeProps = {
  url: string;
  newEmail: string;
  expiresInHours: number;
  appUrl: string;
};

export const emailChangeSubject = "Confirm your new Kindred email address";

export function EmailChangeEmail({ url, newEmail, expiresInHours, appUrl }: EmailChangeProps) {
  return (
    <EmailLayout
      preview="One click moves your Kindred sign-in to this address."
      appUrl={appUrl}
      footerNote="You received this because someone asked to use this address for a Kindred account."
    >
      <Heading as="h1" style={styles.heading}>
        Confirm your new email address
      </Heading>
      <Text style={styles.text}>
        {`You asked to sign in to Kindred with ${newEmail} from now on. Confirm it with the button below; until then nothing changes.`}
      </Text>
      <Section style={{ textAlign: "center", margin: "24px 0" }}>
        <Button href={url} style={styles.button}>
          Confirm this address
        </Button>
      </Section>
      <Text style={styles.small}>
        {`This link works once, for ${expiresInHours} hours. If the button does not work, paste this link into your browser:`}
      </Text>
      <Text style={styles.small}>
        <Link href={url} style={styles.link}>
          {url}
        </Link>
      </Text>
      <Text style={styles.small}>
        If you did not ask for this, ignore this email: the account keeps its current address.
      </Text>
    </EmailLayout>
  );
}

/** To the old address, once the change is done: the owner hears of it even if it was not them. */
export type EmailChangedProps = { newEmail: string; appUrl: string };

export const emailChangedSubject = "Your Kindred email address was changed";

export function EmailChangedEmail({ newEmail, appUrl }: EmailChangedProps) {
  return (
    <EmailLayout
      preview={`From now on you sign in to Kindred with ${newEmail}.`}
      appUrl={appUrl}
      footerNote="You received this because this address was the sign-in address of a Kindred account."
    >
      <Heading as="h1" style={styles.heading}>
        Your email address was changed
      </Heading>
      <Text style={styles.text}>
        {`Your Kindred account now signs in with ${newEmail}. Sign-in links and reminders go there; this address gets nothing more from Kindred.`}
      </Text>
      <Text style={styles.text}>
        If you did not make this change, tell your Kindred community's admin at once: they can sign
        the account out everywhere and put your address back.
      </Text>
    </EmailLayout>
  );
}
