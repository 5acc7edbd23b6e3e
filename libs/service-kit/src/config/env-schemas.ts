import { z } from 'zod';

/**
 * Facts about one environment variable that the loader uses to word its messages. Attach them with
 * the helpers below (or `.meta()` on your own schema); `.default()`/`.optional()` may wrap them.
 */
export interface EnvMeta {
  /** Shown after "is required", e.g. "comma-separated host:port list". */
  description?: string;
  /** Never echo the value in messages (it may hold credentials). */
  sensitive?: boolean;
  /** Has a development default, but production must set it explicitly. */
  requiredInProduction?: boolean;
}

// Every rule message starts with "must", so the loader can print "<NAME> must ..., got "<value>"".
function withMeta<S extends z.ZodType>(schema: S, meta: EnvMeta | undefined): S {
  return meta ? schema.meta({ ...meta }) : schema;
}

export interface IntRange {
  min?: number;
  max?: number;
}

/** An integer in a range, written in decimal digits only ("1e3", "12px" and "" are rejected). */
export function envInt({ min = 0, max }: IntRange = {}, meta?: EnvMeta) {
  const rule = max === undefined ? `an integer >= ${min}` : `an integer ${min}-${max}`;
  const schema = z.string().transform((raw, ctx) => {
    const text = raw.trim();
    const value = Number(text);
    if (/^-?\d+$/.test(text) && value >= min && (max === undefined || value <= max)) return value;
    ctx.addIssue({ code: 'custom', message: `must be ${rule}` });
    return z.NEVER;
  });
  return withMeta(schema, meta);
}

/** A TCP port to listen on. */
/** 0 asks the OS for a free port: test stacks use it so parallel runs never collide. */
export function envPort(meta?: EnvMeta) {
  return envInt({ min: 0, max: 65535 }, meta);
}

/** Booleans accept exactly true/false/1/0, so a typo such as "ture" fails instead of meaning false. */
export function envBool(meta?: EnvMeta) {
  const schema = z.string().transform((raw, ctx) => {
    const text = raw.trim();
    if (text === 'true' || text === '1') return true;
    if (text === 'false' || text === '0') return false;
    ctx.addIssue({ code: 'custom', message: 'must be true, false, 1 or 0' });
    return z.NEVER;
  });
  return withMeta(schema, meta);
}

export function envString(meta?: EnvMeta) {
  return withMeta(z.string().trim(), meta);
}

export function envEnum<const V extends readonly [string, ...string[]]>(values: V, meta?: EnvMeta) {
  return withMeta(z.enum(values, { error: () => `must be one of ${values.join(', ')}` }), meta);
}

/**
 * A 32-byte key, base64-encoded (SECRETS_ENCRYPTION_KEY). Sensitive: never echoed, and a deployment keeps it
 * in its secret store (tools/compose checks that every sensitive variable sits in the Kubernetes Secret).
 */
export function envEncryptionKey() {
  const schema = z.base64().refine((value) => Buffer.from(value, 'base64').length === 32, 'must be 32 bytes, base64-encoded');
  return withMeta(schema, { sensitive: true });
}

/** An absolute URL; `protocols` restricts the scheme (default http and https). */
export function envUrl({ protocols = ['http', 'https'] }: { protocols?: readonly string[] } = {}, meta?: EnvMeta) {
  const schema = z
    .string()
    .trim()
    .pipe(
      z.url({
        protocol: new RegExp(`^(${protocols.join('|')})$`),
        error: () => `must be a ${protocols.map((p) => `${p}://`).join(' or ')} URL`,
      }),
    );
  return withMeta(schema, meta);
}

export interface ListRule {
  /** Every item must match, e.g. host:port. */
  pattern?: RegExp;
  /** How the whole value must look, for the message: "a comma-separated host:port list". */
  rule?: string;
}

/** A comma-separated list; blanks around items and empty items are dropped. */
export function envList({ pattern, rule = 'a comma-separated list' }: ListRule = {}, meta?: EnvMeta) {
  const schema = z.string().transform((raw, ctx) => {
    const items = raw
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0);
    const bad = pattern ? items.filter((item) => !pattern.test(item)) : [];
    if (items.length > 0 && bad.length === 0) return items;
    ctx.addIssue({ code: 'custom', message: `must be ${rule}` });
    return z.NEVER;
  });
  return withMeta(schema, meta);
}

const HOST_PORT = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/;

/** Kafka bootstrap servers and the like: "kafka-1:9092,kafka-2:9092". */
export function envHostPortList(meta?: EnvMeta) {
  return envList({ pattern: HOST_PORT, rule: 'a comma-separated host:port list' }, meta);
}

/** A size such as "256kb" or "1mb" (1kb = 1024 bytes); the text is kept, `byteSize()` converts it. */
export function envByteSize(meta?: EnvMeta) {
  const schema = z
    .string()
    .trim()
    .regex(BYTE_SIZE, { error: () => 'must be a size such as 256kb or 1mb' });
  return withMeta(schema, meta);
}

const BYTE_SIZE = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i;
const BYTE_UNITS = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 } as const;

/** "256kb" → 262144. Throws on text `envByteSize` would refuse. */
export function byteSize(text: string): number {
  const match = BYTE_SIZE.exec(text.trim());
  if (!match) throw new Error(`not a size: ${JSON.stringify(text)}`);
  const unit = (match[2] ?? 'b').toLowerCase() as keyof typeof BYTE_UNITS;
  return Math.floor(Number(match[1]) * BYTE_UNITS[unit]);
}

/** A rate budget: at most `limit` requests per `periodMs`, bursts included (a token bucket). */
export interface RateRule {
  limit: number;
  periodMs: number;
}

const RATE = /^(\d+)\s*\/\s*(\d*)\s*(ms|s|m|h)$/;
const PERIOD_UNITS_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;

/** "1000/10s", "60/1m", "5/s" → a RateRule; "off" → false (no limit). */
export function envRate(meta?: EnvMeta) {
  const schema = z.string().transform((raw, ctx): RateRule | false => {
    const text = raw.trim();
    if (text === 'off') return false;
    const match = RATE.exec(text);
    const limit = Number(match?.[1]);
    const periodMs = Number(match?.[2] || 1) * PERIOD_UNITS_MS[(match?.[3] ?? 'ms') as keyof typeof PERIOD_UNITS_MS];
    if (match && limit > 0 && periodMs > 0) return { limit, periodMs };
    ctx.addIssue({ code: 'custom', message: 'must be <requests>/<period> such as 600/1m or 100/10s, or off' });
    return z.NEVER;
  });
  return withMeta(schema, meta);
}
