/**
 * The slice of OData v4 system query options the Dataverse simulator understands, as Microsoft
 * documents them for the Web API ("Query data using the Web API"): $select, $filter with eq/ne,
 * and/or and parentheses over string, GUID, number and null literals, $orderby, $top.
 */
export type ODataValue = string | number | boolean | null;
export type ODataRow = Record<string, ODataValue>;

export class ODataQueryError extends Error {}

type Token = { kind: 'name' | 'string' | 'literal' | 'open' | 'close'; text: string };

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < filter.length) {
    const char = filter[at] as string;
    if (char === ' ') {
      at++;
    } else if (char === '(' || char === ')') {
      tokens.push({ kind: char === '(' ? 'open' : 'close', text: char });
      at++;
    } else if (char === "'") {
      let text = '';
      for (at++; ; at++) {
        if (at >= filter.length) throw new ODataQueryError('Unterminated string literal in $filter.');
        if (filter[at] === "'" && filter[at + 1] === "'") {
          text += "'";
          at++;
        } else if (filter[at] === "'") break;
        else text += filter[at];
      }
      at++;
      tokens.push({ kind: 'string', text });
    } else {
      const match = /^[A-Za-z0-9_.:+-]+/.exec(filter.slice(at));
      if (!match) throw new ODataQueryError(`Syntax error at position ${at} in '${filter}'.`);
      const text = match[0];
      tokens.push({ kind: /^[A-Za-z_][A-Za-z0-9_]*$/.test(text) && !['null', 'true', 'false'].includes(text) ? 'name' : 'literal', text });
      at += text.length;
    }
  }
  return tokens;
}

type Predicate = (row: ODataRow) => boolean;

/** Recursive descent: or-expression := and-expression ('or' and-expression)*; and binds tighter. */
export function parseFilter(filter: string, fields: readonly string[], entity: string): Predicate {
  const tokens = tokenize(filter);
  let at = 0;
  const peek = () => tokens[at];
  const next = () => {
    const token = tokens[at++];
    if (!token) throw new ODataQueryError(`Syntax error: '${filter}' ends too early.`);
    return token;
  };
  const literal = (token: Token): ODataValue => {
    if (token.kind === 'string') return token.text;
    if (token.text === 'null') return null;
    if (token.text === 'true' || token.text === 'false') return token.text === 'true';
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(token.text)) return token.text.toLowerCase();
    if (/^-?\d+(\.\d+)?$/.test(token.text)) return Number(token.text);
    throw new ODataQueryError(`Syntax error: '${token.text}' is not a literal.`);
  };
  const comparison = (): Predicate => {
    const token = next();
    if (token.kind === 'open') {
      const inner = orExpression();
      if (next().kind !== 'close') throw new ODataQueryError(`Syntax error: ')' expected in '${filter}'.`);
      return inner;
    }
    if (token.kind !== 'name') throw new ODataQueryError(`Syntax error at '${token.text}' in '${filter}'.`);
    if (!fields.includes(token.text)) throw new ODataQueryError(`Could not find a property named '${token.text}' on type 'Microsoft.Dynamics.CRM.${entity}'.`);
    const operator = next().text;
    if (operator !== 'eq' && operator !== 'ne') throw new ODataQueryError(`The operator '${operator}' is not supported by this simulator.`);
    const value = literal(next());
    const field = token.text;
    const same = (row: ODataRow) => (typeof row[field] === 'string' && typeof value === 'string' ? (row[field] as string).toLowerCase() === value.toLowerCase() : (row[field] ?? null) === value);
    return operator === 'eq' ? same : (row) => !same(row);
  };
  const andExpression = (): Predicate => {
    const terms = [comparison()];
    while (peek()?.text === 'and') {
      at++;
      terms.push(comparison());
    }
    return (row) => terms.every((term) => term(row));
  };
  const orExpression = (): Predicate => {
    const terms = [andExpression()];
    while (peek()?.text === 'or') {
      at++;
      terms.push(andExpression());
    }
    return (row) => terms.some((term) => term(row));
  };
  const predicate = orExpression();
  if (at !== tokens.length) throw new ODataQueryError(`Syntax error at '${tokens[at]?.text}' in '${filter}'.`);
  return predicate;
}

export interface EntitySet {
  /** The entity's logical name, e.g. contact. */
  entity: string;
  primaryKey: string;
  fields: readonly string[];
  rows: readonly ODataRow[];
}

/** Applies $filter, $orderby, $top and $select to a set, as the Web API would. */
export function runQuery(set: EntitySet, query: URLSearchParams): ODataRow[] {
  const knownOption = new Set(['$select', '$filter', '$orderby', '$top', '$count']);
  for (const key of query.keys()) if (!knownOption.has(key)) throw new ODataQueryError(`The query parameter ${key} is not supported.`);
  const check = (field: string) => {
    if (!set.fields.includes(field)) throw new ODataQueryError(`Could not find a property named '${field}' on type 'Microsoft.Dynamics.CRM.${set.entity}'.`);
    return field;
  };
  const select = query.get('$select')?.split(',').map((field) => check(field.trim()));
  const filter = query.get('$filter');
  let rows = filter ? set.rows.filter(parseFilter(filter, set.fields, set.entity)) : [...set.rows];
  const orderBy = query.get('$orderby');
  if (orderBy) {
    const order = orderBy.split(',').map((clause) => {
      const [field = '', direction = 'asc'] = clause.trim().split(/\s+/);
      if (direction !== 'asc' && direction !== 'desc') throw new ODataQueryError(`Syntax error: '${direction}' in $orderby.`);
      return { field: check(field), sign: direction === 'desc' ? -1 : 1 };
    });
    rows = rows.sort((a, b) => {
      for (const { field, sign } of order) {
        const left = String(a[field] ?? '');
        const right = String(b[field] ?? '');
        if (left !== right) return left < right ? -sign : sign;
      }
      return 0;
    });
  }
  const top = query.get('$top');
  if (top !== null) {
    if (!/^\d+$/.test(top)) throw new ODataQueryError(`Invalid value '${top}' for $top.`);
    rows = rows.slice(0, Number(top));
  }
  const fields = select ? [...new Set([...select, set.primaryKey])] : set.fields;
  return rows.map((row) => Object.fromEntries(fields.map((field) => [field, row[field] ?? null])));
}
