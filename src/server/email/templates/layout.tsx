import { Body, Container, Head, Html, Link, Preview, Section, Text } from "@react-email/components";
import type { ReactNode } from "react";
import { styles } from "./theme";

/** The frame every Kindred email shares: brand line, one calm card, a quiet footer. */
export function EmailLayout(props: {
  preview: string;
  appUrl: string;
  children: ReactNode;
  footerNote?: string;
  /** A nudge's links: the member's preference page and this category's one-click stop. */
  nudgeLinks?: { preferences: string; unsubscribe: string; category: string };
}) {
  return (
    <Html lang="en" dir="ltr">
      <Head />
      <Preview>{props.preview}</Preview>
      <Body style={styles.body}>
        <Container style={styles.container}>
          <Text style={styles.brand}>Kindred</Text>
          <Section style={styles.card}>{props.children}</Section>
          <Text style={styles.footer}>
            {props.footerNote ? (
              <>
                {props.footerNote}
                <br />
              </>
            ) : null}
            {props.nudgeLinks ? (
              <>
                <Link href={props.nudgeLinks.preferences} style={styles.link}>
                  Choose which emails you get and when
                </Link>{" "}
                ·{" "}
                <Link href={props.nudgeLinks.unsubscribe} style={styles.link}>
                  Stop {props.nudgeLinks.category.toLowerCase()}
                </Link>
                <br />
              </>
            ) : null}
            Kindred · reflection, together ·{" "}
            <Link href={props.appUrl} style={styles.link}>
              {props.appUrl}
            </Link>
          </Text>
        </Container>
      </Body>
    </Html>
  );
}
