"use client";

import { ModuleColumns } from "../ui/ModuleColumns";
import { heatClass } from "../ui/styles";

/** One member on a page of a program's progress, already worded by the server. */
export type ProgressRow = {
  userId: string;
  name: string;
  completed: boolean;
  /** Steps done and steps in each module. */
  cells: [done: number, total: number][];
  passes: number;
  /** The last activity's instant (ISO) and that day in the coach's zone. */
  lastActive: [iso: string, day: string];
};

/**
 * The members × modules grid of the coach's progress page. A client component for the same
 * reason as the roster's table (RosterTable.tsx): its rows reach the browser once, as this data,
 * instead of as HTML and again as a server-rendered tree in the RSC payload.
 */
export function ProgressTable(props: {
  modules: { id: string; title: string }[];
  rows: ProgressRow[];
}) {
  return (
    <table
      aria-describedby="progress-legend"
      className="w-full min-w-[36rem] border-separate border-spacing-1 text-left text-sm"
    >
      <caption className="sr-only">Members' progress by module</caption>
      <thead>
        <tr>
          <ModuleColumns modules={props.modules} />
          <th scope="col" className="px-3 py-2">
            Passes
          </th>
          <th scope="col" className="px-3 py-2">
            Last active
          </th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((member) => (
          <tr key={member.userId}>
            <th scope="row" className="px-3 py-2 font-semibold">
              {member.name}
              {member.completed && <span className="pill ml-2">Completed</span>}
            </th>
            {member.cells.map(([done, total], i) => (
              <td key={props.modules[i]?.id ?? i} className={heatClass(done, total)}>
                {`${done}/${total} steps`}
              </td>
            ))}
            <td className="px-3 py-2">{member.passes}</td>
            <td className="whitespace-nowrap px-3 py-2">
              <time dateTime={member.lastActive[0]}>{member.lastActive[1]}</time>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
