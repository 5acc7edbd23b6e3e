import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataverseSimulator } from './dataverse-simulator';

describe('Dataverse + Entra simulator (the CS7 test peer)', () => {
  let sim: DataverseSimulator;
  let token: string;
  const odata = (path: string, bearer = token) =>
    fetch(`${sim.url}/api/data/v9.2/${path}`, { headers: { authorization: `Bearer ${bearer}`, accept: 'application/json', 'odata-maxversion': '4.0', 'odata-version': '4.0', prefer: 'odata.include-annotations="*"' } });
  const tokenRequest = (form: Record<string, string>) =>
    fetch(sim.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  const credentials = () => ({ grant_type: 'client_credentials', client_id: sim.clientId, client_secret: 'simulated-client-secret', scope: `${sim.url}/.default` });

  beforeAll(async () => {
    sim = await DataverseSimulator.start();
    token = ((await (await tokenRequest(credentials())).json()) as { access_token: string }).access_token;
  });
  afterAll(() => sim.close());

  it('CS7.1 issues client-credentials tokens (JWT, expires_in) and refuses a wrong secret, client, scope or tenant as Entra does', async () => {
    expect(token.split('.')).toHaveLength(3);
    expect((await tokenRequest({ ...credentials(), client_secret: 'wrong' })).status).toBe(401);
    expect(await (await tokenRequest({ ...credentials(), scope: 'https://other.crm.dynamics.com/.default' })).json()).toMatchObject({ error: 'invalid_scope' });
    expect(await (await tokenRequest({ ...credentials(), client_id: 'nobody' })).json()).toMatchObject({ error: 'unauthorized_client' });
    expect((await fetch(`${sim.url}/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token`, { method: 'POST', body: '' })).status).toBe(400);
    expect(sim.requestsTo('token').at(-1)?.form).toBeDefined();
    expect(JSON.stringify(sim.requests)).not.toContain('simulated-client-secret');
  });

  it('CS7.1 answers $select/$filter on contacts and $orderby/$top on incidents with OData JSON and annotations', async () => {
    const contacts = await odata(`contacts?$select=fullname,contactid&$filter=${encodeURIComponent("telephone1 eq '2125550123' or mobilephone eq '2125550123'")}`);
    const body = (await contacts.json()) as { '@odata.context': string; value: Array<Record<string, unknown>> };
    expect(body['@odata.context']).toBe(`${sim.url}/api/data/v9.2/$metadata#contacts(fullname,contactid)`);
    expect(body.value).toEqual([expect.objectContaining({ fullname: 'Kim Lee', contactid: '6f1d5a52-3c8e-4b0f-9a51-0c3e4b2a9d01' })]);

    const plus = await (await odata(`contacts?$select=fullname&$filter=${encodeURIComponent("mobilephone eq '+4915123456789'")}`)).json();
    const unencodedPlus = await (await odata("contacts?$select=fullname&$filter=mobilephone eq '+4915123456789'")).json();
    expect((plus as { value: unknown[] }).value).toHaveLength(1);
    expect((unencodedPlus as { value: unknown[] }).value).toHaveLength(0);

    const latest = (await (await odata(`incidents?$select=title,ticketnumber&$filter=_customerid_value eq 6f1d5a52-3c8e-4b0f-9a51-0c3e4b2a9d01&$orderby=createdon desc&$top=1`)).json()) as { value: Array<Record<string, unknown>> };
    expect(latest.value).toEqual([expect.objectContaining({ ticketnumber: 'CAS-01002-P7Q2', title: 'Invoice shows a double charge' })]);
  });

  it('CS7.1 refuses unknown columns (400), bad tokens (401), and revoked tokens (401) in OData error shape', async () => {
    expect(await (await odata('contacts?$select=nope')).json()).toMatchObject({ error: { code: '0x80060888', message: expect.stringContaining("'nope'") } });
    expect((await odata('contacts', 'forged.token.value')).status).toBe(401);
    sim.revokeTokens();
    expect((await odata('contacts?$top=1')).status).toBe(401);
    token = ((await (await tokenRequest(credentials())).json()) as { access_token: string }).access_token;
    expect((await odata('contacts?$top=1')).status).toBe(200);
  });

  it('CS7.3 fails on demand: 429 with Retry-After, 5xx, redirects, then answers normally again', async () => {
    sim.fail({ target: 'contacts', status: 429, retryAfterSeconds: 7 });
    sim.fail({ target: 'incidents', status: 503 });
    sim.fail({ target: 'contacts', status: 302, location: 'http://127.0.0.1:1/' });

    const throttled = await odata('contacts?$top=1');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('7');
    expect((await odata('incidents?$top=1')).status).toBe(503);
    const redirect = await fetch(`${sim.url}/api/data/v9.2/contacts`, { redirect: 'manual', headers: { authorization: `Bearer ${token}` } });
    expect(redirect.headers.get('location')).toBe('http://127.0.0.1:1/');
    expect((await odata('contacts?$top=1')).status).toBe(200);
  });
});
