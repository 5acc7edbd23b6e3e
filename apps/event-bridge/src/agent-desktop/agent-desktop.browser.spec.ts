import { Role } from '@switchboard/auth';
import { createCloudEvent, CrmRecordPopEventTypes, Topics } from '@switchboard/contracts';
import { eventually, launchHeadlessChromium, openSseStream, testInfra, type SseStream } from '@switchboard/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBridgeTestApp, readAgentEvents, startEventBridgeTestApp } from '../test-support/test-app';

const TENANT = randomUUID();
/** The simulator's samples carry agent_id 1 (the source's); the token names the same agent. */
const AGENT = '1';
/** Generous bounds for a browser on a busy two-core machine; what is asserted never depends on them. */
const UI_TIMEOUT_MS = 20_000;
const SCREENSHOT_DIR = join(__dirname, '../../../../tmp/test-output/agent-desktop');

/** A page that posts a New_Call for `callId` to its parent at once, or on a click of #post. */
function adapterPage(callId: string, when: 'at once' | 'on click'): string {
  const post = `window.parent.postMessage(${JSON.stringify({ type: 'New_Call', data: { call_id: callId, agent_id: 1, session_type: 'Voice Inbound' } })}, '*'); document.title = 'posted';`;
  return when === 'at once'
    ? `<!doctype html><title>adapter</title><script>${post}</script>`
    : `<!doctype html><title>adapter</title><button id="post">New_Call</button><script>document.getElementById('post').onclick = () => { ${post} };</script>`;
}

/** A CRM's own page on its own origin, including the bridge's script the way the README says. */
function crmPage(bridgeUrl: string, callId: string): string {
  return `<!doctype html><title>CRM page</title>
<iframe name="adapter" src="/adapter?callId=${encodeURIComponent(callId)}"></iframe>
<iframe name="crm"></iframe>
<script src="${bridgeUrl}/sdk/agent-bridge.js"></script>
<script>
  const bridge = SwitchboardAgentBridge.start({ bridgeUrl: '${bridgeUrl}', token: new URLSearchParams(location.hash.slice(1)).get('token'), adapterOrigin: location.origin, targetFrame: 'crm' });
  bridge.onStatus((status) => { document.body.dataset.stream = status.stream; });
</script>`;
}

/**
 * A second origin next to the bridge: a CRM (its page with the script, its record pages the pops open, an
 * adapter of its own) and a page that posts a forged adapter event to whatever window frames it.
 */
function startForeignOrigin(bridge: () => string): Promise<Server> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://foreign');
    const callId = url.searchParams.get('callId') ?? '';
    response.setHeader('content-type', 'text/html; charset=utf-8');
    if (url.pathname === '/forged-adapter') response.end(adapterPage(callId, 'at once'));
    else if (url.pathname === '/adapter') response.end(adapterPage(callId, 'on click'));
    else if (url.pathname === '/crm-page') response.end(crmPage(bridge(), callId));
    else response.end(`<!doctype html><title>CRM</title><h1>CRM record ${url.pathname.replace(/[^a-z0-9/-]/gi, '')}</h1>`);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Every src the page's CRM frame is given, kept in window.crmSources from before the page's own scripts run. */
function recordCrmFrameSources(): void {
  const seen: string[] = [];
  (window as unknown as { crmSources: string[] }).crmSources = seen;
  new MutationObserver((mutations) => {
    for (const mutation of mutations) {
      const target = mutation.target as Element;
      if (target.getAttribute('name') === 'crm') seen.push(target.getAttribute('src') ?? '');
    }
  }).observe(document, { subtree: true, attributeFilter: ['src'] });
}

const crmSourcesOf = (page: Page) => page.evaluate(() => (window as unknown as { crmSources: string[] }).crmSources);

/**
 * The demo agent desktop in headless Chromium against a running event-bridge (real Postgres, real Kafka
 * protocol): adapter events in through the page script, screen pops out through the agent stream.
 */
describe('demo agent desktop in a real browser (EB1.1 a, EB3.1–EB3.3)', () => {
  let app: EventBridgeTestApp;
  let kafka: Awaited<ReturnType<typeof readAgentEvents>>;
  let producer: Producer;
  let foreign: Server;
  let foreignUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const fromAgentBodies: string[] = [];
  const streamRequests: Record<string, string>[] = [];
  const cspViolations: string[] = [];

  beforeAll(async () => {
    // The browser first: without Chromium the test fails at once, saying what to install.
    browser = await launchHeadlessChromium();
    foreign = await startForeignOrigin(() => app.url);
    foreignUrl = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
    // The CRM's origin may call the agent endpoints from its pages (the demo desktop needs no such entry).
    app = await startEventBridgeTestApp({ AGENT_PAGE_ORIGINS: foreignUrl });
    kafka = await readAgentEvents([TENANT]);
    producer = new Kafka({ clientId: 'agent-desktop-test', brokers: testInfra().kafkaBrokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    context = await browser.newContext();
    await context.addInitScript(recordCrmFrameSources);
    page = await context.newPage();
    page.on('request', (request) => {
      if (request.url().endsWith('/adapter-events/from-agent')) fromAgentBodies.push(request.postData() ?? '');
      if (request.url().endsWith('/agent-stream')) streamRequests.push(request.headers());
    });
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await producer?.disconnect();
    await kafka?.stop();
    await app?.close();
    await new Promise((resolve) => foreign?.close(resolve));
  });

  /** A CRM_Record_Pop on crm.record-pops.v1 keyed by the agent, as crm-sync publishes it (here straight to Kafka). */
  async function publishPop(recordUrl: string): Promise<void> {
    const event = createCloudEvent({ type: CrmRecordPopEventTypes.recordPop, source: '/switchboard/crm-sync', subject: AGENT, tenantId: TENANT, data: { agentId: AGENT, recordUrl } });
    await producer.send({ topic: Topics.crmRecordPops, messages: [{ key: AGENT, value: JSON.stringify(event) }] });
  }

  const crmFrameSrc = () => page.locator('iframe[name="crm"]').getAttribute('src');
  const waitForCrmFrame = (recordUrl: string) =>
    page.waitForFunction((url) => document.querySelector<HTMLIFrameElement>('iframe[name="crm"]')?.getAttribute('src') === url, recordUrl, { timeout: UI_TIMEOUT_MS });
  const streamState = (state: string) => page.waitForSelector(`#stream-state[data-state="${state}"]`, { timeout: UI_TIMEOUT_MS });
  const clickInAdapter = async (type: string) => {
    const adapter = page.frame({ name: 'adapter' });
    if (!adapter) throw new Error('the adapter iframe is missing');
    await adapter.click(`#post-${type}`);
  };
  const publishedOfType = (type: string) => kafka.events.filter((message) => message.event.data['adapterEventType'] === type);
  const waitForPublished = (type: string, count: number) =>
    eventually(async () => (publishedOfType(type).length >= count ? publishedOfType(type) : undefined), `${count} ${type} on agent.events.v1`);

  it('EB3.3 the desktop opens with the token from the URL fragment, removes it from the address bar and connects its agent stream', async () => {
    const token = await app.token(TENANT, [Role.OmnichannelAgent], AGENT);

    await page.goto(`${app.url}/demo/agent-desktop#token=${token}`);
    await streamState('open');

    expect(page.url()).toBe(`${app.url}/demo/agent-desktop`);
    expect(streamRequests[0]?.['authorization']).toBe(`Bearer ${token}`);
  });

  it("EB1.1 a New_Call clicked in the adapter iframe reaches agent.events.v1 as the token's tenant and agent", async () => {
    await clickInAdapter('New_Call');

    const [message] = await waitForPublished('New_Call', 1);
    expect(message?.event).toMatchObject({ tenantid: TENANT, type: 'switchboard.agent.New_Call', subject: '103646' });
    expect(message?.event.data).toMatchObject({ agentId: AGENT, sessionId: '103646', ingress: 'agent' });
  });

  it("EB3.2 a CRM_Record_Pop published on crm.record-pops.v1 for the agent loads the record into the CRM frame", async () => {
    const recordUrl = `${foreignUrl}/record/ticket-${randomUUID()}`;

    await publishPop(recordUrl);
    await waitForCrmFrame(recordUrl);

    expect(await page.frame({ name: 'crm' })?.textContent('h1')).toContain('CRM record');
  });

  it('EB1.1 a a message posted by a frame of another origin is ignored: it is never sent and never published', async () => {
    const forgedCallId = `forged-${randomUUID()}`;
    const sentBefore = fromAgentBodies.length;

    await page.evaluate((src) => {
      const frame = document.createElement('iframe');
      frame.name = 'foreign';
      frame.src = src;
      document.body.appendChild(frame);
    }, `${foreignUrl}/forged-adapter?callId=${forgedCallId}`);
    await eventually(async () => ((await page.frame({ name: 'foreign' })?.title()) === 'posted' ? true : undefined), 'the foreign page to post');
    // A genuine event posted after the forged one: once it is stored, the forged one would have been sent first.
    await clickInAdapter('End_Call');
    await waitForPublished('End_Call', 1);

    const sent = fromAgentBodies.slice(sentBefore).join('\n');
    expect(sent).toContain('End_Call');
    expect(sent).not.toContain(forgedCallId);
    expect(await app.prisma.adapterEvent.count({ where: { tenantId: TENANT, sessionId: forgedCallId } })).toBe(0);
    expect(kafka.events.filter((message) => message.event.subject === forgedCallId)).toEqual([]);
  });

  it('EB3.1 / EB1.1 a offline and back: the pop published meanwhile arrives (Last-Event-ID replay) and the queued event is sent', async () => {
    const recordUrl = `${foreignUrl}/record/case-${randomUUID()}`;
    const endCalls = publishedOfType('End_Call').length;
    let watcher: SseStream | undefined;
    try {
      await context.setOffline(true);
      await streamState('offline');
      await clickInAdapter('End_Call');
      await page.waitForSelector('#queued:text-is("1")', { timeout: UI_TIMEOUT_MS });

      // Another connection of the same agent shows when the pop is in the agent's stream, i.e. already past
      // for the offline page: it can only get it by asking for what came after its last event id.
      watcher = await openSseStream(`${app.url}/agent-stream`, { headers: { authorization: `Bearer ${await app.token(TENANT, [Role.OmnichannelAgent], AGENT)}` } });
      await publishPop(recordUrl);
      await eventually(async () => (watcher?.events.some((event) => event.data.includes(recordUrl)) ? true : undefined), 'the pop in the agent stream');
      const requestsBefore = streamRequests.length;
      expect(await crmFrameSrc()).not.toBe(recordUrl);

      await context.setOffline(false);
      await waitForCrmFrame(recordUrl);

      const reconnect = streamRequests[requestsBefore];
      expect(reconnect?.['last-event-id']).toMatch(/^[0-9]+$/);
      await waitForPublished('End_Call', endCalls + 1);
      await page.waitForSelector('#queued:text-is("0")', { timeout: UI_TIMEOUT_MS });
    } finally {
      watcher?.close();
      await context.setOffline(false);
    }
  });

  it('EB3.2 a javascript: recordUrl never becomes the src: refused on the topic, and by the page script itself', async () => {
    const afterwards = `${foreignUrl}/record/after-${randomUUID()}`;
    // Published raw, as a broken producer could: the bridge refuses it against the contract.
    const bad = createCloudEvent({ type: CrmRecordPopEventTypes.recordPop, source: '/test', subject: AGENT, tenantId: TENANT, data: { agentId: AGENT, recordUrl: 'javascript:parent.pwned=1' } });
    await producer.send({ topic: Topics.crmRecordPops, messages: [{ key: AGENT, value: JSON.stringify(bad) }] });
    // Same key, same partition, handled in order: once this one shows, the bad one is behind us.
    await publishPop(afterwards);
    await waitForCrmFrame(afterwards);
    expect((await crmSourcesOf(page)).filter((src) => !/^https?:/.test(src))).toEqual([]);

    // The page script's own check, with a stream that does carry such pops.
    const crafted = await context.newPage();
    try {
      const frame = (id: number, recordUrl: string) => `id: ${id}\nevent: CRM_Record_Pop\ndata: ${JSON.stringify({ type: 'CRM_Record_Pop', eventId: `e${id}`, time: new Date().toISOString(), data: { recordUrl } })}\n\n`;
      const safe = `${foreignUrl}/record/safe-${randomUUID()}`;
      const body = [frame(1, 'javascript:parent.pwned=1'), frame(2, 'data:text/html,<script>parent.pwned=1</script>'), frame(3, ' JavaScript:parent.pwned=1'), frame(4, safe)].join('');
      await crafted.route('**/agent-stream', (route) => route.fulfill({ status: 200, contentType: 'text/event-stream', body }));
      await crafted.goto(`${app.url}/demo/agent-desktop#token=${await app.token(TENANT, [Role.OmnichannelAgent], AGENT)}`);
      await crafted.waitForFunction((url) => document.querySelector('iframe[name="crm"]')?.getAttribute('src') === url, safe, { timeout: UI_TIMEOUT_MS });

      expect(await crmSourcesOf(crafted)).toEqual([safe]);
      expect(await crafted.evaluate(() => 'pwned' in window)).toBe(false);
    } finally {
      await crafted.close();
    }
    expect(await page.evaluate(() => 'pwned' in window)).toBe(false);
  });

  it('EB1.1 a / EB3.2 a CRM page of another origin (AGENT_PAGE_ORIGINS) runs the script: its adapter events in, pops out', async () => {
    const callId = `crm-page-${randomUUID()}`;
    const recordUrl = `${foreignUrl}/record/account-${randomUUID()}`;
    const crm = await context.newPage();
    try {
      await crm.goto(`${foreignUrl}/crm-page?callId=${callId}#token=${await app.token(TENANT, [Role.OmnichannelAgent], AGENT)}`);
      await crm.waitForSelector('body[data-stream="open"]', { timeout: UI_TIMEOUT_MS });
      await crm.frame({ name: 'adapter' })?.click('#post');
      await eventually(async () => (kafka.events.some((message) => message.event.subject === callId) ? true : undefined), 'the CRM page\'s New_Call on agent.events.v1');

      await publishPop(recordUrl);
      await crm.waitForFunction((url) => document.querySelector('iframe[name="crm"]')?.getAttribute('src') === url, recordUrl, { timeout: UI_TIMEOUT_MS });
    } finally {
      await crm.close();
    }
  });

  it('EB3.3 the desktop ran without a Content-Security-Policy violation; a screenshot is kept', async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'agent-desktop.png'), fullPage: true });

    expect(cspViolations).toEqual([]);
  });
});
