/** A member's own words, shown as plain text (React escapes it; no HTML is ever rendered). */
export function AnswerText(props: { text: string }) {
  return props.text.trim() ? (
    <p className="whitespace-pre-wrap break-words leading-relaxed">{props.text}</p>
  ) : (
    <p className="text-sm text-muted italic">Left empty.</p>
  );
}
