import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The parts of V8's .cpuprofile (Chrome DevTools format) this summary reads. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }[];
  samples?: number[];
  /** Microseconds before each sample. */
  timeDeltas?: number[];
}

export interface ProfileShare {
  name: string;
  ms: number;
  /** Of the busy (non-idle) time. */
  percent: number;
}

export interface ProfileSummary {
  busyMs: number;
  idleMs: number;
  /** Time spent in the function itself, hottest first. */
  selfByFunction: ProfileShare[];
  /** Time with at least one frame of the area on the stack (a sample counts once per area). */
  inclusiveByArea: ProfileShare[];
  /** Time whose innermost frame belongs to the area. */
  selfByArea: ProfileShare[];
}

/** Names the area a frame belongs to: an npm package, Node core, the GC, or a folder of our own code. */
export type AreaOf = (frame: CpuProfile['nodes'][number]['callFrame']) => string;

const SPECIAL_FRAMES: Record<string, string> = {
  '(garbage collector)': 'GC',
  '(program)': 'V8 (program)',
  '(idle)': 'idle',
  '(root)': 'root',
};

/** The npm package of a node_modules path (scoped names included), or undefined. */
export function packageOf(url: string): string | undefined {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(url);
  return match?.[1];
}

/**
 * The file a source-map entry names. Nx's webpack build writes `webpack:///./src/x.ts` or
 * `webpack:///../../libs/y.ts`, relative to the app's folder (apps/<name> for dist/apps/<name>/main.js).
 */
export function originalPath(source: string, bundleUrl: string, workspaceRoot: string): string {
  if (source.startsWith('file://')) return fileURLToPath(source);
  const app = /\/dist\/apps\/([^/]+)\//.exec(bundleUrl)?.[1];
  const relativeSource = source.replace(/^webpack:\/\/\/?/, '');
  return app ? resolve(workspaceRoot, 'apps', app, relativeSource) : resolve(workspaceRoot, relativeSource);
}

/**
 * The default area function: node_modules → package name; node:* → "node core"; the service's webpack
 * bundle → the original source folder through its source map (e.g. libs/service-kit/src/logging).
 */
export function createAreaOf(workspaceRoot: string): AreaOf {
  const maps = new Map<string, SourceMap | null>();
  const sourceMapOf = (url: string): SourceMap | null => {
    if (!maps.has(url)) {
      try {
        maps.set(url, new SourceMap(JSON.parse(readFileSync(`${fileURLToPath(url)}.map`, 'utf8'))));
      } catch {
        maps.set(url, null);
      }
    }
    return maps.get(url) ?? null;
  };
  return (frame) => {
    const special = SPECIAL_FRAMES[frame.functionName];
    if (special && !frame.url) return special;
    if (!frame.url) return 'native';
    const pkg = packageOf(frame.url);
    if (pkg) return pkg;
    if (frame.url.startsWith('node:')) return 'node core';
    if (frame.url.startsWith('file://') && frame.url.endsWith('.js')) {
      const entry = sourceMapOf(frame.url)?.findEntry(frame.lineNumber, frame.columnNumber);
      const source = entry && 'originalSource' in entry ? entry.originalSource : undefined;
      if (source) {
        const path = relative(workspaceRoot, originalPath(source, frame.url, workspaceRoot));
        const sourcePackage = packageOf(path);
        if (sourcePackage) return sourcePackage;
        // apps/<app>/src/<folder> or libs/<lib>/src/<folder>: fine enough to tell logging from persistence.
        return path.split('/').slice(0, 4).join('/').replace(/\.[cm]?[jt]s$/, '');
      }
      return relative(workspaceRoot, fileURLToPath(frame.url));
    }
    return frame.url;
  };
}

function ranked(totals: Map<string, number>, busyMs: number, limit: number): ProfileShare[] {
  return [...totals.entries()]
    .map(([name, ms]) => ({ name, ms: Math.round(ms), percent: busyMs > 0 ? Math.round((ms / busyMs) * 1000) / 10 : 0 }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, limit);
}

/** Self and inclusive time per function and per area; idle time is left out of the percentages. */
export function summarizeCpuProfile(profile: CpuProfile, areaOf: AreaOf, limit = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const areaCache = new Map<number, string>();
  const areaOfNode = (id: number): string => {
    let area = areaCache.get(id);
    if (area === undefined) {
      area = areaOf((byId.get(id) as CpuProfile['nodes'][number]).callFrame);
      areaCache.set(id, area);
    }
    return area;
  };

  const selfByFunction = new Map<string, number>();
  const selfByArea = new Map<string, number>();
  const inclusiveByArea = new Map<string, number>();
  let busyMs = 0;
  let idleMs = 0;
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  samples.forEach((id, index) => {
    // A delta is the time before its sample; attributing it to that sample is V8's own convention.
    const ms = (deltas[index] ?? 0) / 1000;
    const area = areaOfNode(id);
    if (area === 'idle') {
      idleMs += ms;
      return;
    }
    busyMs += ms;
    const { functionName, url, lineNumber } = (byId.get(id) as CpuProfile['nodes'][number]).callFrame;
    const where = url ? ` ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\//, '')}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'}${where} [${area}]`;
    selfByFunction.set(key, (selfByFunction.get(key) ?? 0) + ms);
    selfByArea.set(area, (selfByArea.get(area) ?? 0) + ms);
    const seen = new Set<string>();
    for (let node: number | undefined = id; node !== undefined; node = parentOf.get(node)) {
      const nodeArea = areaOfNode(node);
      if (nodeArea !== 'root' && !seen.has(nodeArea)) {
        seen.add(nodeArea);
        inclusiveByArea.set(nodeArea, (inclusiveByArea.get(nodeArea) ?? 0) + ms);
      }
    }
  });
  return {
    busyMs: Math.round(busyMs),
    idleMs: Math.round(idleMs),
    selfByFunction: ranked(selfByFunction, busyMs, limit),
    inclusiveByArea: ranked(inclusiveByArea, busyMs, limit),
    selfByArea: ranked(selfByArea, busyMs, limit),
  };
}

export function formatProfileSummary(summary: ProfileSummary, file: string): string {
  const table = (title: string, rows: ProfileShare[]) =>
    [title, ...rows.map((row) => `  ${row.percent.toFixed(1).padStart(5)}%  ${String(row.ms).padStart(7)} ms  ${row.name}`)].join('\n');
  return [
    `CPU profile of the service during the measured run: ${file}`,
    `busy ${summary.busyMs} ms, idle ${summary.idleMs} ms (percentages are of busy time)`,
    table('inclusive time by area (a stack counts once per area it passes through):', summary.inclusiveByArea),
    table('self time by area:', summary.selfByArea),
    table('hottest functions (self time):', summary.selfByFunction),
  ].join('\n');
}
