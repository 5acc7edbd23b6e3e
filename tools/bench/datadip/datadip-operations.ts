import { Agent, request } from 'undici';

export interface SimulatorInfo {
  url: string;
  entraTenantId: string;
  clientId: string;
}

const CALLER = { national: '2125550123', e164: '+12125550123' };
const ODATA_HEADERS = { accept: 'application/json', 'odata-maxversion': '4.0', 'odata-version': '4.0', prefer: 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"' };

async function json<T>(answer: Awaited<ReturnType<typeof request>>, what: string): Promise<T> {
  if (answer.statusCode !== 200) throw new Error(`${what} answered ${answer.statusCode}: ${(await answer.body.text()).slice(0, 200)}`);
  return (await answer.body.json()) as T;
}

/** A client-credentials token from the simulator, requested once (the service caches its token too). */
export async function simulatorToken(simulator: SimulatorInfo, dispatcher: Agent): Promise<string> {
  const body = new URLSearchParams({ client_id: simulator.clientId, client_secret: 'simulated-client-secret', grant_type: 'client_credentials', scope: `${simulator.url}/.default` });
  const answer = await request(`${simulator.url}/${simulator.entraTenantId}/oauth2/v2.0/token`, { method: 'POST', dispatcher, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
  return (await json<{ access_token: string }>(answer, 'token endpoint')).access_token;
}

/**
 * The bare data dip: the same two Dataverse queries crm-sync makes (contact by phone, then its latest
 * case), straight from undici, with nothing around them (no SSRF guard, settings, auth, answer building).
 */
export function bareDataDip(simulator: SimulatorInfo, token: string, dispatcher: Agent): () => Promise<void> {
  const headers = { ...ODATA_HEADERS, authorization: `Bearer ${token}` };
  const filter = [CALLER.national, CALLER.e164].flatMap((number) => [`telephone1 eq '${number}'`, `mobilephone eq '${number}'`]).join(' or ');
  const contactsUrl = `${simulator.url}/api/data/v9.2/contacts?$select=fullname,contactid&$filter=${encodeURIComponent(filter)}&$top=1`;
  return async () => {
    const contacts = await json<{ value: Array<{ contactid: string }> }>(await request(contactsUrl, { dispatcher, headers }), 'contacts');
    const contactId = contacts.value[0]?.contactid;
    if (!contactId) throw new Error('the bare client found no contact');
    const incidentsUrl = `${simulator.url}/api/data/v9.2/incidents?$select=title,ticketnumber,incidentid&$filter=${encodeURIComponent(`_customerid_value eq ${contactId}`)}&$orderby=${encodeURIComponent('createdon desc')}&$top=1`;
    const incidents = await json<{ value: unknown[] }>(await request(incidentsUrl, { dispatcher, headers }), 'incidents');
    if (incidents.value.length !== 1) throw new Error('the bare client found no case');
  };
}

/** The service's data dip: one POST to crm-sync, which must answer case_found. */
export function serviceDataDip(serviceUrl: string, bearer: string, dispatcher: Agent): () => Promise<void> {
  const body = JSON.stringify({ ani: CALLER.e164 });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${bearer}` };
  return async () => {
    const answer = await json<{ outcome: string }>(await request(`${serviceUrl}/crm/dynamics/data-dip`, { method: 'POST', dispatcher, headers, body }), 'crm-sync');
    if (answer.outcome !== 'case_found') throw new Error(`crm-sync answered ${answer.outcome}`);
  };
}
