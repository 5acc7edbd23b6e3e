import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';
import { findWorkspaceRoot } from './workspace-root';

export type { SchemaEngine };

/**
 * Prisma's schema engine compiled to WebAssembly (@prisma/schema-engine-wasm), instantiated by hand:
 * the package's entry imports the .wasm as an ES module, which Node cannot do without a flag.
 *
 * The engine arms `setTimeout`s it never clears (connection-pool housekeeping), which would keep
 * the process alive for minutes after the work is done. Every timer it creates is tracked here and
 * un-referenced once no engine is open, so callers can run many engines in one process and still
 * exit on their own.
 */
const GLUE_MODULE = './schema_engine_bg.js';

const engineTimers = new Set<NodeJS.Timeout>();
let openEngines = 0;
type Glue = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');
let loading: Promise<Glue> | undefined;

function trackedSetTimeout(callback: () => void, delayMs: number): NodeJS.Timeout {
  const timer: NodeJS.Timeout = setTimeout(() => {
    engineTimers.delete(timer);
    callback();
  }, delayMs >>> 0);
  engineTimers.add(timer);
  if (openEngines === 0) timer.unref();
  return timer;
}

const GLUE_SPECIFIER = '@prisma/schema-engine-wasm/schema_engine_bg';

/** The .wasm beside the glue module, resolved from this file (or, when bundled, from the workspace). */
function wasmFilePath(): string {
  let gluePath: string;
  try {
    gluePath = createRequire(__filename).resolve(GLUE_SPECIFIER);
  } catch {
    gluePath = createRequire(join(findWorkspaceRoot(), 'package.json')).resolve(GLUE_SPECIFIER);
  }
  return join(dirname(gluePath), 'schema_engine_bg.wasm');
}

async function instantiateOnce(): Promise<Glue> {
  // Imported on demand so that importing this lib does not load an ES-module-only package.
  const glue = await import('@prisma/schema-engine-wasm/schema_engine_bg');
  const bytes = await readFile(wasmFilePath());
  const imports: Record<string, unknown> = { ...glue };
  const setTimeoutImport = Object.keys(glue).find((name) => name.startsWith('__wbg_setTimeout_'));
  if (!setTimeoutImport) throw new Error('schema-engine-wasm glue has no setTimeout import; check the package version');
  imports[setTimeoutImport] = trackedSetTimeout;
  const { instance } = await WebAssembly.instantiate(bytes, { [GLUE_MODULE]: imports as WebAssembly.ModuleImports });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports['__wbindgen_start'] as () => void)();
  return glue;
}

/** Loads the wasm module the first time; later calls reuse the same instance. */
function ensureLoaded(): Promise<Glue> {
  loading ??= instantiateOnce().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

export interface OpenEngineOptions {
  /** [path, content] of every Prisma schema file. */
  datamodels: [string, string][];
  /** An adapter factory already wrapped by `bindMigrationAwareSqlAdapterFactory`. */
  adapterFactory: object;
  onLog?: (line: string) => void;
}

/** Runs `work` with a fresh engine and frees it afterwards, whatever happens. */
export async function withSchemaEngine<T>(options: OpenEngineOptions, work: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const glue = await ensureLoaded();
  openEngines += 1;
  for (const timer of engineTimers) timer.ref();
  try {
    const engine = await glue.SchemaEngine.new(
      { datamodels: options.datamodels },
      (line: string) => options.onLog?.(line),
      options.adapterFactory,
    );
    try {
      return await work(engine);
    } finally {
      engine.free();
    }
  } finally {
    openEngines -= 1;
    if (openEngines === 0) for (const timer of engineTimers) timer.unref();
  }
}

/** Engine timers still pending, and how many of them would keep the process alive (should be 0 when idle). */
export function engineTimerCounts(): { pending: number; keepingProcessAlive: number } {
  const timers = [...engineTimers];
  return { pending: timers.length, keepingProcessAlive: timers.filter((timer) => timer.hasRef()).length };
}
