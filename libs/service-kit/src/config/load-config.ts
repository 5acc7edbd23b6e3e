import { z } from 'zod';
import type { EnvMeta } from './env-schemas';

/**
 * Thrown when the environment does not satisfy the schema (loadConfig has printed each problem), or
 * by a library that finds its settings inconsistent while the app starts (bootstrapService prints
 * them: one `config: ...` line each).
 */
export class ConfigError extends Error {
  override readonly name: string = 'ConfigError';

  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.join('\n')}`);
  }
}

/** Writes one `config: <problem>` line per problem to stderr. */
export function printConfigProblems(problems: readonly string[]): void {
  for (const line of problems) process.stderr.write(`config: ${line}\n`);
}

type Env = Record<string, string | undefined>;

export interface LoadConfigOptions {
  /** Where the variables come from; default `process.env`. */
  env?: Env;
  /**
   * Values used where the environment sets nothing, written as the environment would (so they are
   * validated like any other): `{ PORT: manifest.port }`.
   */
  defaults?: Record<string, string | number | boolean>;
}

// Names whose values must never be echoed, even when malformed.
const SENSITIVE_NAME = /SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE|API_KEY|CREDENTIAL/i;
const MAX_ECHOED_LENGTH = 80;

/**
 * Validates the variables named by `schema` and returns the parsed values. On failure prints one
 * line per offending variable to stderr (`config: PORT must be an integer 0-65535, got "abc"`)
 * and throws ConfigError. Empty values count as unset, so defaults apply to `PORT=`.
 */
export function loadConfig<T extends z.ZodObject>(schema: T, options: LoadConfigOptions = {}): z.infer<T> {
  const input = pickPresentValues(schema, options.env ?? process.env, options.defaults ?? {});
  const result = schema.safeParse(input);
  const problems = new Map<string, string>();

  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = issue.path.length > 0 ? String(issue.path[0]) : '';
      if (!problems.has(key)) problems.set(key, describeIssue(schema, key, input[key], issue.message));
    }
  }
  for (const key of missingInProduction(schema, input)) {
    if (!problems.has(key)) problems.set(key, `${key} is required when NODE_ENV=production${hint(schema, key)}`);
  }

  if (problems.size > 0) {
    const lines = orderBySchema(schema, problems);
    printConfigProblems(lines);
    throw new ConfigError(lines);
  }
  return (result as z.ZodSafeParseSuccess<z.infer<T>>).data;
}

/**
 * For main.ts: the loaded configuration, or exit code 1 after the problems were printed
 * (a stack trace would bury the useful lines).
 */
export function loadConfigOrExit<T extends z.ZodObject>(schema: T, options: LoadConfigOptions = {}): z.infer<T> {
  try {
    return loadConfig(schema, options);
  } catch (error) {
    if (error instanceof ConfigError) process.exit(1);
    throw error;
  }
}

function pickPresentValues(schema: z.ZodObject, env: Env, defaults: NonNullable<LoadConfigOptions['defaults']>): Env {
  const input: Env = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') input[key] = value;
    else if (defaults[key] !== undefined) input[key] = String(defaults[key]);
  }
  return input;
}

function describeIssue(schema: z.ZodObject, key: string, raw: string | undefined, message: string): string {
  if (key === '') return message;
  if (raw === undefined) return `${key} is required${hint(schema, key)}`;
  const rule = /^(must|is|should) /.test(message) ? message : `is invalid (${message})`;
  return `${key} ${rule}, ${echo(schema, key, raw)}`;
}

function missingInProduction(schema: z.ZodObject, input: Env): string[] {
  if (input['NODE_ENV']?.trim() !== 'production') return [];
  return Object.keys(schema.shape).filter(
    (key) => input[key] === undefined && envMetaOf(schema.shape[key]).requiredInProduction === true,
  );
}

function hint(schema: z.ZodObject, key: string): string {
  const description = schema.shape[key] ? envMetaOf(schema.shape[key]).description : undefined;
  return description ? ` (${description})` : '';
}

function echo(schema: z.ZodObject, key: string, raw: string): string {
  if (SENSITIVE_NAME.test(key) || envMetaOf(schema.shape[key]).sensitive) return 'value hidden';
  const shown = raw.length > MAX_ECHOED_LENGTH ? `${raw.slice(0, MAX_ECHOED_LENGTH)}…` : raw;
  return `got ${JSON.stringify(shown)}`;
}

/** Whether the schema marks a variable as holding credentials (EnvMeta.sensitive). */
export function isSensitiveEnv(schema: z.ZodObject, key: string): boolean {
  return envMetaOf(schema.shape[key]).sensitive === true;
}

/** Meta may sit on an inner schema when `.default()`, `.optional()` or a pipe wraps it. */
function envMetaOf(schema: z.core.$ZodType | undefined): EnvMeta {
  let current = schema;
  while (current) {
    const meta = z.globalRegistry.get(current);
    if (meta) return meta as EnvMeta;
    const def = current._zod.def as { innerType?: z.core.$ZodType; in?: z.core.$ZodType };
    current = def.innerType ?? def.in;
  }
  return {};
}

function orderBySchema(schema: z.ZodObject, problems: Map<string, string>): string[] {
  const order = Object.keys(schema.shape);
  return [...problems.entries()]
    .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
    .map(([, line]) => line);
}
