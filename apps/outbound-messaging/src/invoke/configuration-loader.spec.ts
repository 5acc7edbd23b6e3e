import { ManualClock } from '@switchboard/clock';
import { describe, expect, it } from 'vitest';
import { ConfigurationChanges } from '../configurations/configuration-changes';
import type { ConfigurationWithParts } from '../configurations/configurations.repository';
import type { ConfigurationsService } from '../configurations/configurations.service';
import { placeholderValues, renderTemplate } from '../templates/template-rendering';
import { ConfigurationLoader, RECENT_CONFIGURATION_TTL_MS } from './configuration-loader';
import type { ConfigurationForBatch } from './contact-batch';

const TENANT = 'tenant-a';
const OTHER_TENANT = 'tenant-b';

function row(id: string, text: string): ConfigurationWithParts {
  const at = new Date('2026-01-01T00:00:00.000Z');
  return {
    id,
    tenantId: TENANT,
    name: 'configuration',
    showInTimeline: false,
    channelType: 'sms',
    channelId: 'channel-1',
    templateId: 'template-1',
    createdAt: at,
    updatedAt: at,
    template: { id: 'template-1', tenantId: TENANT, name: 'template', channelType: 'sms', defaultLocale: 'en', versions: { en: { text } }, createdAt: at, updatedAt: new Date(at.getTime() + text.length) },
  } as unknown as ConfigurationWithParts;
}

/** A ConfigurationsService whose stored rows a test changes directly, counting the reads. */
function storeOf(rows: Map<string, ConfigurationWithParts>) {
  const store = { reads: 0, withParts: async (_tenantId: string, id: string) => (store.reads++, rows.get(id) ?? null) };
  return store;
}

function loaderWith(rows: Map<string, ConfigurationWithParts>) {
  const store = storeOf(rows);
  const changes = new ConfigurationChanges();
  const clock = new ManualClock('2026-01-01T00:00:00.000Z');
  const loader = new ConfigurationLoader(store as unknown as ConfigurationsService, changes, clock);
  return { store, changes, clock, loader };
}

/** The text the configuration's template gives Dana. */
function textOf(configuration: ConfigurationForBatch | undefined): string | undefined {
  const rendered = configuration && renderTemplate(configuration.template, 'en', placeholderValues({ CustomerName: 'Dana', CaseName: 'CAS-1' }));
  return rendered?.ok ? rendered.body : undefined;
}

describe('ConfigurationLoader.recent (the invoke API\'s configurations, at most a few seconds old)', () => {
  it('reads a configuration once for the requests within the TTL, and again once it has passed', async () => {
    const { store, clock, loader } = loaderWith(new Map([['c1', row('c1', 'Hi {{CustomerName}}')]]));
    const [first, second] = await Promise.all([loader.recent(TENANT, 'c1'), loader.recent(TENANT, 'c1')]);
    clock.advance(RECENT_CONFIGURATION_TTL_MS - 1);
    await loader.recent(TENANT, 'c1');
    expect(store.reads).toBe(1);
    expect(first).toEqual(second);
    expect(first).toMatchObject({ id: 'c1', channelId: 'channel-1', channelType: 'sms', showInTimeline: false });

    clock.advance(2);
    await loader.recent(TENANT, 'c1');
    expect(store.reads).toBe(2);
  });

  it('reads afresh after a change of the tenant\'s configurations or templates in this process, not after another tenant\'s', async () => {
    const rows = new Map([['c1', row('c1', 'Hi {{CustomerName}}')]]);
    const { store, changes, loader } = loaderWith(rows);
    expect(textOf(await loader.recent(TENANT, 'c1'))).toBe('Hi Dana');

    rows.set('c1', row('c1', 'Hello {{CustomerName}}!'));
    changes.changed(OTHER_TENANT);
    expect(textOf(await loader.recent(TENANT, 'c1'))).toBe('Hi Dana');
    changes.changed(TENANT);
    expect(textOf(await loader.recent(TENANT, 'c1'))).toBe('Hello Dana!');
    expect(store.reads).toBe(2);
  });

  it('does not remember a missing configuration: one created on another replica is found by the next request', async () => {
    const rows = new Map<string, ConfigurationWithParts>();
    const { store, loader } = loaderWith(rows);
    expect(await loader.recent(TENANT, 'c2')).toBeUndefined();
    rows.set('c2', row('c2', 'Hi'));
    expect(await loader.recent(TENANT, 'c2')).toMatchObject({ id: 'c2' });
    expect(store.reads).toBe(2);
  });

  it('load reads every time (rules and schedules)', async () => {
    const { store, loader } = loaderWith(new Map([['c1', row('c1', 'Hi')]]));
    await loader.load(TENANT, 'c1');
    await loader.load(TENANT, 'c1');
    expect(store.reads).toBe(2);
  });
});
