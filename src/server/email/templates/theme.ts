import type { CSSProperties } from "react";

/**
 * Kindred's email look: warm paper tones, one terracotta accent, system fonts only (email
 * clients block web fonts and Kindred downloads none). Every text colour keeps at least 5.5:1
 * contrast against its background.
 */
export const colors = {
  page: "#f6f1ea",
  card: "#ffffff",
  border: "#e7ddd0",
  ink: "#2d2620",
  muted: "#5c5148",
  footer: "#6b5f55",
  accent: "#8a4b2f",
  onAccent: "#ffffff",
} as const;

const sans = '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Helvetica, Arial, sans-serif';
const serif = 'Georgia, "Times New Roman", serif';

export const styles = {
  body: { backgroundColor: colors.page, margin: 0, padding: "32px 0", fontFamily: sans },
  container: { maxWidth: "560px", margin: "0 auto", padding: "0 16px" },
  brand: {
    fontFamily: serif,
    fontSize: "22px",
    color: colors.accent,
    margin: "0 0 16px",
    letterSpacing: "0.5px",
  },
  card: {
    backgroundColor: colors.card,
    border: `1px solid ${colors.border}`,
    borderRadius: "12px",
    padding: "32px",
  },
  heading: {
    fontFamily: serif,
    fontSize: "24px",
    lineHeight: "32px",
    fontWeight: "normal",
    color: colors.ink,
    margin: "0 0 16px",
  },
  text: { fontSize: "16px", lineHeight: "26px", color: colors.ink, margin: "0 0 16px" },
  small: { fontSize: "14px", lineHeight: "22px", color: colors.muted, margin: "0 0 12px" },
  button: {
    backgroundColor: colors.accent,
    color: colors.onAccent,
    borderRadius: "8px",
    fontSize: "17px",
    fontWeight: 600,
    padding: "14px 28px",
    textDecoration: "none",
    display: "inline-block",
  },
  link: { color: colors.accent, textDecoration: "underline", wordBreak: "break-all" },
  footer: {
    fontSize: "13px",
    lineHeight: "20px",
    color: colors.footer,
    margin: "16px 0 0",
    textAlign: "center",
  },
} satisfies Record<string, CSSProperties>;
