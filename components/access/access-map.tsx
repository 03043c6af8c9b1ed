// The access map: service accounts → roles → database users, bucket and key, drawn as SVG on the server. Each
// edge sums up the matrix rows between two boxes, is coloured and patterned by the worst of them, says so in
// words (title and aria-label), and links to its row of the matrix table (`#access-row-<id>`).
import { EDGE_STATE_TEXT } from "@/lib/access/map";
import type { AccessMatrix, AccessNode } from "@/lib/access/types";
import { EDGE_STATES, EDGE_STYLE } from "./edge-style";

const NODE_W = 230;
const NODE_H = 44;
const ROW_GAP = 14;
const COL_X = [8, 352, 696];
const TOP = 36;
const WIDTH = COL_X[2] + NODE_W + 8;
const HEADINGS = ["Who", "Role", "Reaches"];

/** Text that fits the box; the node's title carries the whole of it. */
function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function positions(nodes: readonly AccessNode[]) {
  const at = new Map<string, { x: number; y: number }>();
  const counts = [0, 0, 0];
  for (const n of nodes) {
    at.set(n.id, { x: COL_X[n.column], y: TOP + counts[n.column] * (NODE_H + ROW_GAP) });
    counts[n.column]++;
  }
  return { at, height: TOP + Math.max(...counts) * (NODE_H + ROW_GAP) };
}

export function AccessMap({ matrix }: { matrix: AccessMatrix }) {
  const { at, height } = positions(matrix.nodes);
  const byId = new Map(matrix.nodes.map((n) => [n.id, n]));
  return (
    <figure className="flex flex-col gap-2" data-testid="access-map">
      <figcaption className="text-sm font-medium">
        Access map: who reaches what, from the real policies ({matrix.edges.length} connections; each links to its row in the
        matrix)
      </figcaption>
      <div className="overflow-x-auto">
        <svg
          role="group"
          aria-label="Access map: service accounts, roles and what they reach"
          viewBox={`0 0 ${WIDTH} ${height}`}
          width={WIDTH}
          height={height}
          className="max-w-none text-slate-900 dark:text-slate-100"
        >
          {HEADINGS.map((h, i) => (
            <text key={h} x={COL_X[i]} y={18} fill="currentColor" fontSize={14} fontWeight={600}>
              {h}
            </text>
          ))}
          {matrix.edges.map((e) => {
            const a = at.get(e.from);
            const b = at.get(e.to);
            if (!a || !b) return null;
            const style = EDGE_STYLE[e.state];
            const x1 = a.x + NODE_W;
            const y1 = a.y + NODE_H / 2;
            const x2 = b.x;
            const y2 = b.y + NODE_H / 2;
            const mid = (x1 + x2) / 2;
            const text = `${byId.get(e.from)?.label} → ${byId.get(e.to)?.label}: ${e.label}`;
            return (
              <a key={e.id} href={`#access-row-${e.rowId}`} aria-label={text} data-testid="access-edge" data-state={e.state}>
                <title>{text}</title>
                <path
                  d={`M ${x1} ${y1} C ${mid} ${y1}, ${mid} ${y2}, ${x2 - 6} ${y2}`}
                  fill="none"
                  stroke={style.colour}
                  strokeWidth={style.width}
                  strokeDasharray={style.dash}
                />
                <circle cx={x2 - 4} cy={y2} r={3.5} fill={style.colour} />
                {/* A wide transparent stroke: an easier target to point at than a thin line. */}
                <path d={`M ${x1} ${y1} C ${mid} ${y1}, ${mid} ${y2}, ${x2} ${y2}`} fill="none" stroke="transparent" strokeWidth={12} />
              </a>
            );
          })}
          {matrix.nodes.map((n) => {
            const p = at.get(n.id)!;
            return (
              <g key={n.id} data-testid="access-node" data-node={n.id}>
                <title>{n.detail ? `${n.label}: ${n.detail}` : n.label}</title>
                <rect
                  x={p.x}
                  y={p.y}
                  width={NODE_W}
                  height={NODE_H}
                  rx={6}
                  fill="white"
                  stroke="#64748b"
                  className="dark:fill-slate-900"
                  strokeDasharray={n.intended ? undefined : "4 3"}
                />
                <text x={p.x + 8} y={p.y + 18} fill="currentColor" fontSize={12} fontWeight={600}>
                  {clip(n.label, 30)}
                </text>
                {n.detail ? (
                  <text x={p.x + 8} y={p.y + 34} fill="currentColor" fontSize={11}>
                    {clip(n.detail, 36)}
                  </text>
                ) : null}
              </g>
            );
          })}
        </svg>
      </div>
      <ul aria-label="Legend" className="flex flex-wrap gap-x-5 gap-y-1 text-sm">
        {EDGE_STATES.map((s) => (
          <li key={s} className="flex items-center gap-2" data-testid="access-legend-item">
            <svg width="36" height="10" aria-hidden="true">
              <line x1="0" y1="5" x2="36" y2="5" stroke={EDGE_STYLE[s].colour} strokeWidth={EDGE_STYLE[s].width} strokeDasharray={EDGE_STYLE[s].dash} />
            </svg>
            <span>
              {EDGE_STATE_TEXT[s]} ({EDGE_STYLE[s].name})
            </span>
          </li>
        ))}
        <li className="flex items-center gap-2">
          <svg width="36" height="12" aria-hidden="true">
            <rect x="1" y="1" width="34" height="10" rx="2" fill="none" stroke="#64748b" strokeDasharray="4 3" />
          </svg>
          <span>dashed box: a stranger the matrix asks about, not part of the environment</span>
        </li>
      </ul>
    </figure>
  );
}
