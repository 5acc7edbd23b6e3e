import { describe, expect, it } from 'vitest';
import { createAreaOf, originalPath, packageOf, summarizeCpuProfile, type CpuProfile } from './cpu-profile-summary';

const frame = (functionName: string, url = '') => ({ functionName, url, lineNumber: 0, columnNumber: 0 });

/** root → handler (fastify) → query (pg); root → (idle); root → (garbage collector). */
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 4, 5] },
    { id: 2, callFrame: frame('handle', 'file:///w/node_modules/fastify/lib/route.js'), children: [3] },
    { id: 3, callFrame: frame('query', 'file:///w/node_modules/pg/lib/client.js') },
    { id: 4, callFrame: frame('(idle)') },
    { id: 5, callFrame: frame('(garbage collector)') },
  ],
  samples: [3, 3, 2, 4, 4, 5],
  timeDeltas: [1000, 1000, 2000, 5000, 5000, 1000],
};

describe('CPU profile summary', () => {
  it('names npm packages from node_modules paths, scoped and nested ones included', () => {
    expect(packageOf('file:///w/node_modules/pg/lib/client.js')).toBe('pg');
    expect(packageOf('/w/node_modules/@prisma/client/runtime/x.js')).toBe('@prisma/client');
    expect(packageOf('/w/node_modules/a/node_modules/@scope/b/index.js')).toBe('@scope/b');
    expect(packageOf('file:///w/dist/apps/x/main.js')).toBeUndefined();
  });

  it("resolves webpack source paths against the app's folder", () => {
    const bundle = 'file:///w/dist/apps/proactive-delivery/main.js';
    expect(originalPath('webpack:///./src/deliveries/x.ts', bundle, '/w')).toBe('/w/apps/proactive-delivery/src/deliveries/x.ts');
    expect(originalPath('webpack:///../../libs/service-kit/src/a.ts', bundle, '/w')).toBe('/w/libs/service-kit/src/a.ts');
    expect(originalPath('file:///w/libs/auth/src/b.ts', bundle, '/w')).toBe('/w/libs/auth/src/b.ts');
  });

  it('splits busy from idle time and counts self and inclusive time per area', () => {
    const summary = summarizeCpuProfile(profile, createAreaOf('/w'));
    expect(summary.busyMs).toBe(5);
    expect(summary.idleMs).toBe(10);
    expect(summary.selfByArea).toEqual([
      { name: 'pg', ms: 2, percent: 40 },
      { name: 'fastify', ms: 2, percent: 40 },
      { name: 'GC', ms: 1, percent: 20 },
    ]);
    // Every pg sample ran under fastify: fastify's inclusive time holds them too.
    expect(summary.inclusiveByArea[0]).toEqual({ name: 'fastify', ms: 4, percent: 80 });
    expect(summary.selfByFunction[0].name).toBe('query pg/lib/client.js:1 [pg]');
  });
});
