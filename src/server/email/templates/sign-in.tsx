import { Button, Heading, Link, Section, Text } from "@react-email/components";
import { EmailLayout } from "./layout";
import { styles } from "./theme";

export type SignInEmailProps = { url: string; expiresInMinutes: number; appUrl: string };

export const signInSubject = "Your Kindred sign-in link";

export function SignInEmail({ url, expiresInMinutes, appUrl }: SignInEmailProps) {
  return (
    <EmailLayout
      preview={`Your link to sign in to Kindred, valid for ${expiresInMinutes} minutes.`}
      appUrl={appUrl}
      footerNote="You received this because someone asked to sign in to Kindred with this address."
    >
      <Heading as="h1" style={styles.heading}>
        Sign in to Kindred
      </Heading>
      <Text style={styles.text}>Welcome back. Use the button below to sign in.</Text>
      <Section style={{ textAlign: "center", margin: "24px 0" }}>
        <Button href={url} style={styles.button}>
          Sign in to Kindred
        </Button>
      </Section>
      {/* One string, so React adds no comment markers inside the sentence. */}
      <Text style={styles.small}>
        {`This link is valid for ${expiresInMinutes} minutes and works once.`}
      </Text>
      {/* Some clients strip buttons or block links; the bare URL always survives. */}
      <Text style={styles.small}>
        If the button does not work, paste this link into your browser:
      </Text>
      <Text style={styles.small}>
        <Link href={url} style={styles.link}>
          {url}
        </Link>
      </Text>
      <Text style={styles.small}>
        If you did not ask to sign in, you can safely ignore this email. Nobody can sign in without
        this link.
      </Text>
    </EmailLayout>
  );
}
