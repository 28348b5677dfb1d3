import type { ExerciseKind } from "@/generated/prisma/client";

/** The demo program, in Kindred's own words: building a community on purpose. */
export type DemoExercise = {
  key: string;
  kind: ExerciseKind;
  prompt: string;
  config: Record<string, unknown>;
  revisitAfterDays: number;
};
export type DemoStep = { title: string; body: string; exercises: DemoExercise[] };
export type DemoModule = { title: string; unlockDayOffset: number; steps: DemoStep[] };

export const DEMO_PROGRAM = {
  slug: "community-on-purpose",
  title: "Community, on purpose",
  summary:
    "Seven steps to look honestly at the people in your life, notice who you miss, ask for support more easily and take a first small step — then keep showing up.",
};

export const DEMO_MODULES: DemoModule[] = [
  {
    title: "Who is your community?",
    unlockDayOffset: 0,
    steps: [
      {
        title: "What community means to you",
        body: "Before building anything, look at what is already there.\n\nTreat yourself as the **person this community is for**. Answer slowly, and keep asking *why* until the answer surprises you a little.\n\nYou will come back to this question in two weeks and see what changed.",
        exercises: [
          {
            key: "meaning",
            kind: "REFLECTION",
            prompt:
              "When you picture “your community”, who and what do you see? What has it given you that you could not have found alone?",
            config: {
              probes: [
                "Why does that matter to you?",
                "And why does that matter?",
                "What would be missing if it were gone tomorrow?",
              ],
            },
            revisitAfterDays: 14,
          },
        ],
      },
      {
        title: "Keep close, let go",
        body: "Not every connection needs the same care. Some people you want nearer; some you can let drift with gratitude.\n\n- Who lifts you up after you have seen them?\n- Who do you keep meeting out of habit alone?",
        exercises: [
          {
            key: "keep-close",
            kind: "REFLECTION",
            prompt:
              "Who do you want to keep close over the next year, and who are you ready to let go of — gently?",
            config: { probes: ["What makes someone worth keeping close, for you?"] },
            revisitAfterDays: 21,
          },
        ],
      },
      {
        title: "Where is something missing?",
        body: "Loneliness can hide in one part of life while another is full. Look at each part on its own.",
        exercises: [
          {
            key: "missing",
            kind: "LENSES",
            prompt: "What is missing for you right now?",
            config: { lenses: ["Career", "Work", "Friendships", "Family"] },
            revisitAfterDays: 30,
          },
        ],
      },
    ],
  },
  {
    title: "Asking and reaching out",
    unlockDayOffset: 7,
    steps: [
      {
        title: "Asking for support",
        body: "Many of us are glad to help and slow to ask. Be honest about where you are today; there is no right number.",
        exercises: [
          {
            key: "asking",
            kind: "SCALE",
            prompt: "How comfortable are you asking the people around you for support?",
            config: {
              minLabel: "Not at all",
              maxLabel: "Completely at ease",
              followUp: "What would make it a 10?",
            },
            revisitAfterDays: 14,
          },
        ],
      },
      {
        title: "The people you lost touch with",
        body: "List the people in your community today, the ones you want to keep, and the ones you have lost touch with. For each, name what stops you from reaching out — often it is smaller than it feels.",
        exercises: [
          {
            key: "people",
            kind: "PEOPLE",
            prompt:
              "Who is in your community, who do you want to keep, and who have you lost touch with? What stops you from reaching out?",
            config: { circles: ["Family", "Friends", "Work", "Neighbourhood", "Other"] },
            revisitAfterDays: 30,
          },
        ],
      },
    ],
  },
  {
    title: "Showing up",
    unlockDayOffset: 14,
    steps: [
      {
        title: "A first step, today",
        body: "Small and concrete beats big and someday. A message, a call, an invitation for coffee.",
        exercises: [
          {
            key: "first-step",
            kind: "COMMITMENT",
            prompt: "What is the first step you will take today?",
            config: { dueInDays: 0 },
            revisitAfterDays: 7,
          },
        ],
      },
      {
        title: "Practices for consistency",
        body: "Community is built by showing up again and again. Tick a practice each time you do it, as often as you like, on Today or under Commitments. Here, once a week, look back at which ones you practised.",
        exercises: [
          {
            key: "practices",
            kind: "PRACTICE",
            prompt: "Which of these did you practise this week?",
            config: {
              practices: [
                { key: "start-where-you-are", label: "Start where you are" },
                { key: "be-open", label: "Be open" },
                { key: "be-consistent", label: "Be consistent" },
                { key: "trust-old-connections", label: "Trust old connections" },
                { key: "make-the-first-move", label: "Make the first move" },
              ],
            },
            revisitAfterDays: 7,
          },
        ],
      },
    ],
  },
];
