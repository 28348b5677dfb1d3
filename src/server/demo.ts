import type { Role } from "@/generated/prisma/client";

/** The demo deployment's accounts, one per role (seeded; listed on the sign-in page). */
export const DEMO_ACCOUNTS: { email: string; name: string; role: Role; blurb: string }[] = [
  {
    email: "maya@demo.kindred.local",
    name: "Maya Okafor",
    role: "MEMBER",
    blurb: "A member working through a program",
  },
  {
    email: "coach@demo.kindred.local",
    name: "Jonas Lind",
    role: "COACH",
    blurb: "Runs programs and cohorts",
  },
  {
    email: "admin@demo.kindred.local",
    name: "Priya Raman",
    role: "ADMIN",
    blurb: "Runs the business: billing, users",
  },
];
