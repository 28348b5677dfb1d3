import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { TextAreaField } from "@/components/ui/TextAreaField";

/** The rendered field as a DOM-free summary: attributes of the textarea, texts by id. */
function render(element: React.ReactElement) {
  const html = renderToStaticMarkup(element);
  const textarea = html.match(/<textarea([^>]*)>/)?.[1] ?? "";
  const attr = (name: string) => textarea.match(new RegExp(` ${name}="([^"]*)"`))?.[1];
  const textOf = (id: string) =>
    html
      .match(new RegExp(`id="${id}"[^>]*>([^<]*(?:<!-- -->[^<]*)*)<`))?.[1]
      ?.replaceAll("<!-- -->", "");
  return { html, attr, textOf };
}

describe("TextAreaField", () => {
  it("labels the control and describes it by hint, count and error, in that order", () => {
    const f = render(
      <TextAreaField
        id="note"
        label="Note"
        hint="Optional."
        error="Too long."
        value="hello"
        onChange={() => {}}
        maxLength={2000}
        rows={2}
      />,
    );
    expect(f.html).toContain('<label for="note"');
    expect(f.attr("id")).toBe("note");
    expect(f.attr("aria-describedby")).toBe("note-hint note-error note-count");
    expect(f.attr("aria-invalid")).toBe("true");
    expect(f.attr("maxLength")).toBe("2000");
    expect(f.attr("rows")).toBe("2");
    expect(f.textOf("note-hint")).toBe("Optional.");
    expect(f.textOf("note-count")).toBe("5 of 2000 characters");
    expect(f.textOf("note-error")).toBe("Too long.");
  });

  it("shows no count without a maximum and no description when there is nothing to say", () => {
    const f = render(<TextAreaField id="body" label="Body" value="" onChange={() => {}} />);
    expect(f.attr("aria-describedby")).toBeUndefined();
    expect(f.attr("aria-invalid")).toBeUndefined();
    expect(f.html).not.toContain("characters");
  });

  it("is uncontrolled without a value (a disabled preview), with no count", () => {
    const f = render(<TextAreaField id="preview" label="Your answer" maxLength={100} />);
    expect(f.html).toMatch(/<textarea[^>]*><\/textarea>/);
    expect(f.html).not.toContain("characters");
  });
});
