/** One kind of effect, counted at its peer against the units the system accepted (a 2xx answer). */
export interface KindTally {
  kind: string;
  /** Units that got a 2xx answer. */
  accepted: number;
  /** Accepted units with exactly one effect at the peer. */
  effectedOnce: number;
  /** Accepted units with no effect at the peer. */
  lost: number;
  /** Units (accepted or not) with more than one effect at the peer. */
  doubled: number;
  /** Units whose answer was lost in a crash and that could not be retried safely (no idempotency key). */
  unacknowledged: number;
  /** Of those, how many took effect anyway (once): neither lost nor doubled, but unknown to the caller. */
  unacknowledgedEffected: number;
  /** Requests refused for good (a 4xx), which are no units. */
  refused: number;
  /** Units with an effect at another tenant's peer (a tenant boundary crossed). */
  crossTenant: number;
  /** What the peer can and cannot tell apart, e.g. where a double would not be visible. */
  note: string;
  /** A few of the units lost and doubled, to look them up after a run. */
  examples: { lost: string[]; doubled: string[] };
}

/** Units named per kind when some are lost or doubled. */
const EXAMPLES = 5;

export interface KindUnits {
  kind: string;
  /** Unit ids that got a 2xx. */
  accepted: readonly string[];
  /** Unit ids whose answer was lost. */
  unacknowledged: readonly string[];
  refused: number;
  /** Effects at the peer per unit id. */
  effects: ReadonlyMap<string, number>;
  /** Effects of these units found at another tenant's peer. */
  foreign?: ReadonlyMap<string, number>;
  note: string;
}

export function tallyKind(units: KindUnits): KindTally {
  const countOf = (id: string) => units.effects.get(id) ?? 0;
  const doubledUnits = [...units.effects].filter(([, count]) => count > 1).map(([id]) => id);
  const lostUnits = units.accepted.filter((id) => countOf(id) === 0);
  return {
    kind: units.kind,
    accepted: units.accepted.length,
    effectedOnce: units.accepted.filter((id) => countOf(id) === 1).length,
    lost: lostUnits.length,
    doubled: doubledUnits.length,
    unacknowledged: units.unacknowledged.length,
    unacknowledgedEffected: units.unacknowledged.filter((id) => countOf(id) === 1).length,
    refused: units.refused,
    crossTenant: [...(units.foreign ?? new Map<string, number>()).values()].filter((count) => count > 0).length,
    note: units.note,
    examples: { lost: lostUnits.slice(0, EXAMPLES), doubled: doubledUnits.slice(0, EXAMPLES) },
  };
}

/** Anything lost, doubled or across the tenant boundary: the run fails. */
export function lostOrDoubled(tallies: readonly KindTally[]): boolean {
  return tallies.some((tally) => tally.lost > 0 || tally.doubled > 0 || tally.crossTenant > 0);
}

const COLUMNS: readonly [string, (tally: KindTally) => string | number][] = [
  ['kind', (tally) => tally.kind],
  ['accepted', (tally) => tally.accepted],
  ['effected once', (tally) => tally.effectedOnce],
  ['lost', (tally) => tally.lost],
  ['doubled', (tally) => tally.doubled],
  ['unacknowledged (effected)', (tally) => `${tally.unacknowledged} (${tally.unacknowledgedEffected})`],
  ['refused', (tally) => tally.refused],
  ['cross-tenant', (tally) => tally.crossTenant],
];

/** The table the chaos run prints: one row per kind, then each kind's note. */
export function formatTallies(tallies: readonly KindTally[]): string {
  const rows = [COLUMNS.map(([title]) => title), ...tallies.map((tally) => COLUMNS.map(([, cell]) => String(cell(tally))))];
  const widths = COLUMNS.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0)));
  const line = (row: string[]) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ');
  const notes = tallies.map((tally) => `${tally.kind}: ${tally.note}`);
  const examples = tallies.flatMap((tally) =>
    (['lost', 'doubled'] as const).filter((what) => tally.examples[what].length > 0).map((what) => `${tally.kind}, ${what}: ${tally.examples[what].join(', ')}${tally[what] > EXAMPLES ? ', …' : ''}`),
  );
  return [line(rows[0] ?? []), ...rows.slice(1).map(line), '', ...notes, ...(examples.length > 0 ? ['', ...examples] : [])].join('\n');
}
