// Labels of exercise kinds, shared by the journal and coach pages (server and client).
export const KIND_LABEL: Record<string, string> = {
  REFLECTION: "Reflection",
  LENSES: "Lenses",
  SCALE: "Scale 1–10",
  PEOPLE: "People",
  COMMITMENT: "Commitment",
  PRACTICE: "Practice",
};
