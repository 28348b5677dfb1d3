import { randomUUID } from "node:crypto";
import { type Answer, GaveUp, type SoakClient } from "./client";
import type { Exercise, Member, World } from "./world";

/** A small deterministic generator (mulberry32), so `--seed` replays the same choices. */
export function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(list: T[]): T => list[Math.floor(next() * list.length)]!,
  };
}
type Random = ReturnType<typeof random>;

/**
 * The soak's own record of what the server acknowledged (a 2xx with the id or version it
 * returned), which the end compares with the database. Writes sent but never acknowledged
 * (the client gave up, or the run ended mid-retry) are kept apart: they may or may not exist.
 */
export type DraftRecord = {
  member: string;
  exerciseId: string;
  acked?: { version: number; text: string; sentAt: number; via: "write" | "read" };
  /** Texts sent after the last acknowledged one (a later save may have landed unheard). */
  later: string[];
};
export type Ledger = {
  drafts: Map<string, DraftRecord>;
  passes: { member: string; exerciseId: string; passId: string }[];
  checkIns: { member: string; commitmentId: string; checkInId: string }[];
  ticks: { member: string; exerciseId: string; tickId: string }[];
  steps: Map<string, { acked?: string; later: string[] }>;
  signIns: { email: string; emailId: string }[];
  uploads: { name: string; member: string }[];
  /** Writes given up on (no acknowledgement within the client's patience). */
  gaveUp: { op: string; message: string }[];
  /** Refusals that are part of the app's rules (revisit gate, rate limits…), by op and code. */
  refused: Record<string, number>;
  /** Other non-2xx answers (must be none), with what they said. */
  unexpected: { op: string; status: number; error?: string }[];
  counts: { acked: Record<string, number>; retried503: number; retriedConn: number };
};

export function newLedger(): Ledger {
  return {
    drafts: new Map(),
    passes: [],
    checkIns: [],
    ticks: [],
    steps: new Map(),
    signIns: [],
    uploads: [],
    gaveUp: [],
    refused: {},
    unexpected: [],
    counts: { acked: {}, retried503: 0, retriedConn: 0 },
  };
}

// 1×1 transparent PNG.
export const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAAAJRU5ErkJggg==",
  "base64",
);

/** Refusals the app's rules give to an ordinary client; anything else non-2xx is a finding. */
const EXPECTED_REFUSALS = new Set([
  "CONFLICT",
  "PRECONDITION_FAILED",
  "TOO_MANY_REQUESTS",
  "NOT_FOUND",
]);

export type LoadOptions = {
  users: number;
  seed: number;
  /** Pause between one user's actions, in ms (random within). */
  thinkMs: [number, number];
  /** Seconds between sign-in requests of the sign-in user (20 per minute per IP is the limit). */
  signInEverySeconds: number;
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const draftKey = (member: string, exercise: string) => `${member}|${exercise}`;

export class Load {
  readonly ledger = newLedger();
  private stopping = false;
  private running: Promise<void>[] = [];
  /** (member, exercise) pairs already submitted once: the revisit rule refuses a second. */
  private submitted = new Set<string>();
  private known = new Map<string, number>();
  private seq = 0;

  constructor(
    private readonly client: SoakClient,
    private readonly world: World,
    private readonly options: LoadOptions,
  ) {}

  start() {
    const { users, seed } = this.options;
    // One user signs in, one coaches, the others are members, each with members of their own
    // (so one member's actions happen one after another, as one person's would).
    const memberUsers = Math.max(1, users - 2);
    const owned: Member[][] = Array.from({ length: memberUsers }, () => []);
    for (const [i, m] of this.world.members.entries()) owned[i % memberUsers]!.push(m);
    for (const [i, members] of owned.entries()) {
      this.running.push(this.loop(random(seed + i), (r) => this.memberAction(r, members)));
    }
    this.running.push(this.loop(random(seed + 1000), (r) => this.coachAction(r)));
    this.running.push(
      this.loop(random(seed + 2000), (r) => this.signIn(r), this.options.signInEverySeconds * 1000),
    );
  }

  /** Lets every user finish (and retry to acknowledgement) what it is doing, then resolves. */
  async stop() {
    this.stopping = true;
    await Promise.all(this.running);
  }

  private async loop(r: Random, act: (r: Random) => Promise<void>, fixedPauseMs?: number) {
    const [low, high] = this.options.thinkMs;
    while (!this.stopping && this.client.budgetLeft) {
      try {
        await act(r);
      } catch (error) {
        if (!(error instanceof GaveUp)) throw error;
        this.ledger.gaveUp.push({ op: "action", message: error.message });
      }
      await pause(fixedPauseMs ?? low + r.int(high - low));
    }
  }

  /** Counts the answer; returns it when 2xx, null for an expected refusal. */
  private judge(op: string, answer: Answer): Answer | null {
    this.ledger.counts.retried503 += answer.retried503;
    this.ledger.counts.retriedConn += answer.retriedConn;
    if (answer.status >= 200 && answer.status < 300) {
      this.ledger.counts.acked[op] = (this.ledger.counts.acked[op] ?? 0) + 1;
      return answer;
    }
    if (
      answer.status >= 400 &&
      answer.status < 500 &&
      (EXPECTED_REFUSALS.has(answer.error ?? "") || answer.status === 429)
    ) {
      const key = `${op} ${answer.error ?? answer.status}`;
      this.ledger.refused[key] = (this.ledger.refused[key] ?? 0) + 1;
      return null;
    }
    this.ledger.unexpected.push({ op, status: answer.status, error: answer.error });
    return null;
  }

  /** Sends a write; a GaveUp is recorded and becomes null (the write is not acknowledged). */
  private async attempt(op: string, send: () => Promise<Answer>): Promise<Answer | null> {
    try {
      return this.judge(op, await send());
    } catch (error) {
      if (!(error instanceof GaveUp)) throw error;
      this.ledger.gaveUp.push({ op, message: error.message });
      return null;
    }
  }

  private text(what: string) {
    this.seq += 1;
    return `soak ${what} ${this.seq} ${randomUUID()}`;
  }

  private async memberAction(r: Random, members: Member[]): Promise<void> {
    const member = r.pick(members);
    const roll = r.next();
    if (roll < 0.45) return this.saveDraft(r, member);
    if (roll < 0.53) return this.submit(r, member);
    if (roll < 0.65) return this.checkIn(r, member);
    if (roll < 0.8) return this.tick(r, member);
    if (roll < 0.83) {
      await this.upload(member);
      return;
    }
    const read = r.next() < 0.5 ? "dashboard.today" : "journal.list";
    await this.attempt(read, () =>
      this.client.query(read, read === "journal.list" ? {} : undefined, member.session),
    );
  }

  private async currentDraft(member: Member, exerciseId: string) {
    const answer = await this.attempt("player.draft", () =>
      this.client.query("player.draft", { exerciseId }, member.session),
    );
    if (!answer) return null;
    return (answer.data ?? null) as { version: number; content: { text?: string } } | null;
  }

  private async saveDraft(r: Random, member: Member) {
    const exercise = r.pick(this.world.exercises);
    const key = draftKey(member.id, exercise.id);
    let base = this.known.get(key);
    if (base === undefined) {
      const current = await this.currentDraft(member, exercise.id);
      base = current?.version ?? 0;
      this.known.set(key, base);
    }
    const record = this.ledger.drafts.get(key) ?? {
      member: member.id,
      exerciseId: exercise.id,
      later: [],
    };
    this.ledger.drafts.set(key, record);
    const text = this.text("draft");
    record.later.push(text);
    const sentAt = Date.now();
    const answer = await this.attempt("player.saveDraft", () =>
      this.client.mutation(
        "player.saveDraft",
        { exerciseId: exercise.id, content: { text, probes: [] }, baseVersion: base },
        member.session,
      ),
    );
    if (answer) {
      const { version } = answer.data as { version: number };
      record.acked = { version, text, sentAt, via: "write" };
      record.later = [];
      this.known.set(key, version);
      return;
    }
    // A conflict after a dropped connection: the earlier attempt may have landed. Read it back,
    // as the app's client does when told its copy is stale.
    this.known.delete(key);
    const current = await this.currentDraft(member, exercise.id);
    if (!current) return;
    this.known.set(key, current.version);
    if (current.content?.text === text) {
      record.acked = { version: current.version, text, sentAt, via: "read" };
      record.later = [];
    }
  }

  private answerFor(exercise: Exercise): unknown {
    const text = this.text("answer");
    const today = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const config = exercise.config as {
      lenses?: string[];
      circles?: string[];
      practices?: { key: string }[];
    };
    switch (exercise.kind) {
      case "SCALE":
        return { value: 1 + (this.seq % 10), followUp: "", why: text };
      case "COMMITMENT":
        return { text, dueOn: today };
      case "PRACTICE":
        return { ticked: [config.practices?.[0]?.key ?? ""], note: text };
      case "LENSES":
        return { answers: { [config.lenses?.[0] ?? "lens"]: text } };
      case "PEOPLE":
        return {
          people: [{ name: "Soak Person", circle: config.circles?.[0] ?? "", status: "KEEP" }],
        };
      default:
        return { text, probes: [] };
    }
  }

  private async submit(r: Random, member: Member) {
    const open = this.world.exercises.filter((x) => !this.submitted.has(draftKey(member.id, x.id)));
    if (open.length === 0) return this.saveDraft(r, member);
    const exercise = r.pick(open);
    const key = draftKey(member.id, exercise.id);
    this.submitted.add(key);
    // The pass deletes the draft: whatever this member's copy of it was, it is no longer current.
    this.known.delete(key);
    const answer = await this.attempt("player.submit", () =>
      this.client.mutation(
        "player.submit",
        { exerciseId: exercise.id, content: this.answerFor(exercise) },
        member.session,
      ),
    );
    if (answer) {
      const { passId } = answer.data as { passId: string };
      this.ledger.passes.push({ member: member.id, exerciseId: exercise.id, passId });
    }
  }

  private async checkIn(r: Random, member: Member) {
    if (member.commitments.length === 0) return this.tick(r, member);
    const commitmentId = r.pick(member.commitments);
    const answer = await this.attempt("commitments.checkIn", () =>
      this.client.mutation(
        "commitments.checkIn",
        { id: commitmentId, outcome: "NOT_YET", note: this.text("check-in").slice(0, 200) },
        member.session,
      ),
    );
    if (answer) {
      const { checkIn } = answer.data as { checkIn: { id: string } };
      this.ledger.checkIns.push({ member: member.id, commitmentId, checkInId: checkIn.id });
    }
  }

  private async tick(r: Random, member: Member) {
    const practice = this.world.practice;
    if (!practice) return;
    const answer = await this.attempt("practices.tick", () =>
      this.client.mutation(
        "practices.tick",
        {
          exerciseId: practice.exerciseId,
          practiceKey: r.pick(practice.keys),
          note: this.text("tick").slice(0, 200),
        },
        member.session,
      ),
    );
    if (answer) {
      const { id } = answer.data as { id: string };
      this.ledger.ticks.push({ member: member.id, exerciseId: practice.exerciseId, tickId: id });
    }
  }

  /** An avatar upload; also used by the full-store fault to keep uploads coming. */
  async upload(member: Member) {
    const answer = await this.attempt("upload", () => this.client.upload(PNG, member.session));
    if (answer) {
      const { url } = answer.data as { url: string };
      this.ledger.uploads.push({ name: url.split("/").pop()!, member: member.id });
    }
    return answer;
  }

  private async coachAction(r: Random) {
    const step = r.pick(this.world.steps);
    const record = this.ledger.steps.get(step.id) ?? { later: [] };
    this.ledger.steps.set(step.id, record);
    const body = `${this.text("step")}\n\nEdited during the soak.`;
    record.later.push(body);
    const answer = await this.attempt("programs.updateStep", () =>
      this.client.mutation(
        "programs.updateStep",
        { id: step.id, title: step.title, body },
        this.world.coach.session,
      ),
    );
    if (answer) {
      record.acked = body;
      record.later = [];
    }
  }

  private signInTurn = 0;
  private async signIn(_r: Random) {
    // Round the members' addresses (five links per address per minute is the limit).
    const member = this.world.members[this.signInTurn++ % this.world.members.length]!;
    const answer = await this.attempt("auth.requestLink", () =>
      this.client.mutation("auth.requestLink", { email: member.email }),
    );
    if (answer) {
      const { emailId } = answer.data as { emailId?: string };
      if (emailId) this.ledger.signIns.push({ email: member.email, emailId });
      else this.ledger.unexpected.push({ op: "auth.requestLink", status: 200, error: "no id" });
    }
  }
}
