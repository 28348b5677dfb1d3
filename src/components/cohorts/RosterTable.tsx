"use client";

import { ModuleColumns } from "../ui/ModuleColumns";
import { heatClass } from "../ui/styles";
import { ConfirmButton, NudgeButton } from "./CohortActions";

/** One member on a page of the coach's roster, already worded and formatted by the server. */
export type RosterRow = {
  userId: string;
  name: string;
  /** Shown under the name when it differs from it. */
  email: string | null;
  /** Their place on the waitlist, or null for a member. */
  waiting: number | null;
  /** "Drifting · …" when the member is drifting. */
  drift: string | null;
  /** Steps done and steps in each module, for a member; null on the waitlist. */
  cells: [done: number, total: number][] | null;
  lastActive: string;
  nudgedToday: boolean;
};

/**
 * The roster's table. A client component on purpose: its rows reach the browser as this compact
 * data (about 200 bytes a member) instead of as a server-rendered tree, which the RSC payload
 * would carry a second time next to the HTML (about 1.5 kB a member with its two buttons).
 */
export function RosterTable(props: {
  cohortId: string;
  finished: boolean;
  modules: { id: string; title: string }[];
  rows: RosterRow[];
}) {
  return (
    <table
      aria-describedby="roster-legend"
      className="w-full min-w-[40rem] border-separate border-spacing-1 text-left text-sm"
    >
      <caption className="sr-only">The cohort's members and waitlist</caption>
      <thead>
        <tr>
          <ModuleColumns modules={props.modules} />
          <th scope="col" className="px-3 py-2">
            Last active
          </th>
          <th scope="col" className="px-3 py-2">
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((m) => (
          <tr key={m.userId}>
            <th scope="row" className="px-3 py-2 font-semibold">
              <span className="block min-w-32 break-words">{m.name}</span>
              {m.email && (
                <span className="block text-xs font-normal text-muted break-words">{m.email}</span>
              )}
              {m.waiting !== null && <span className="pill mt-1">Waiting · {m.waiting}</span>}
              {m.drift && (
                <span className="mt-1 inline-block rounded-full bg-warn-soft px-2 py-0.5 text-xs font-semibold text-warn">
                  {m.drift}
                </span>
              )}
            </th>
            {props.modules.map((mod, i) => {
              const cell = m.cells?.[i];
              return cell ? (
                <td key={mod.id} className={heatClass(cell[0], cell[1])}>
                  {`${cell[0]}/${cell[1]}`}
                </td>
              ) : (
                <td key={mod.id} className="px-3 py-2 text-muted">
                  –
                </td>
              );
            })}
            <td className="whitespace-nowrap px-3 py-2">{m.lastActive}</td>
            <td className="space-y-1 px-3 py-2">
              {!props.finished && m.cells && (
                <NudgeButton
                  cohortId={props.cohortId}
                  userId={m.userId}
                  name={m.name}
                  nudgedToday={m.nudgedToday}
                />
              )}
              {!props.finished && (
                <ConfirmButton
                  label="Remove"
                  confirm={`Remove ${m.name}?`}
                  busyLabel="Removing…"
                  action={{ kind: "removeMember", cohortId: props.cohortId, userId: m.userId }}
                />
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
