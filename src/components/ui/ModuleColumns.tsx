/**
 * The leading header cells of a members × modules grid (the coach's progress page and the
 * cohort roster): "Member", then "Module n" and its title per module. A plain component, so both
 * a server page and a client table can render it.
 */
export function ModuleColumns(props: { modules: { id: string; title: string }[] }) {
  return (
    <>
      <th scope="col" className="px-3 py-2">
        Member
      </th>
      {props.modules.map((m, i) => (
        <th key={m.id} scope="col" className="px-3 py-2">
          <span className="block text-xs text-muted">Module {i + 1}</span>
          {m.title}
        </th>
      ))}
    </>
  );
}
