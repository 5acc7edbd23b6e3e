import { OutboundHttpClient } from '@switchboard/outbound-http';
import { z } from 'zod';
import type { CallerNumber } from './caller-number';
import type { DynamicsConnection } from './dynamics-connection';
import { DataDipFailure, TokenRejected } from './data-dip-failure';
import { dataDipFailureOf, dataDipFailureOfStatus } from './outbound-failure';

export interface DynamicsContact {
  contactId: string;
  fullName: string;
}

export interface DynamicsCase {
  incidentId: string;
  title: string;
  ticketNumber: string;
}

const API_PATH = '/api/data/v9.2';

const contacts = z.object({ value: z.array(z.object({ contactid: z.string(), fullname: z.string().nullable() })) });
const incidents = z.object({ value: z.array(z.object({ incidentid: z.string(), title: z.string().nullable(), ticketnumber: z.string().nullable() })) });

/** An OData string literal: single quotes doubled (the values are digits and "+", but never trust that). */
function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * The two Dataverse Web API queries of the data dip (seed 001), as Microsoft documents them: OData
 * v4 JSON with $select/$filter/$orderby/$top, every query option value percent-encoded — a "+" left
 * raw in a query string is read as a space, so "+12125550123" would never match.
 */
export class DataverseClient {
  constructor(private readonly http: OutboundHttpClient) {}

  /** The contact whose business or mobile phone is the caller's number, national or E.164 as stored. */
  async findContact(connection: DynamicsConnection, token: string, caller: CallerNumber, signal: AbortSignal): Promise<DynamicsContact | undefined> {
    const numbers = [caller.national, caller.e164];
    const filter = numbers.flatMap((number) => [`telephone1 eq ${literal(number)}`, `mobilephone eq ${literal(number)}`]).join(' or ');
    const answer = await this.query(connection, token, 'contacts', { $select: 'fullname,contactid', $filter: filter, $top: '1' }, contacts, signal);
    const contact = answer.value[0];
    return contact && { contactId: contact.contactid, fullName: contact.fullname ?? '' };
  }

  /** The contact's most recently created case (incident), whatever its state. */
  async latestCase(connection: DynamicsConnection, token: string, contactId: string, signal: AbortSignal): Promise<DynamicsCase | undefined> {
    const answer = await this.query(
      connection,
      token,
      'incidents',
      { $select: 'title,ticketnumber,incidentid', $filter: `_customerid_value eq ${contactId}`, $orderby: 'createdon desc', $top: '1' },
      incidents,
      signal,
    );
    const found = answer.value[0];
    return found && { incidentId: found.incidentid, title: found.title ?? '', ticketNumber: found.ticketnumber ?? '' };
  }

  private async query<S extends z.ZodType>(connection: DynamicsConnection, token: string, entitySet: string, options: Record<string, string>, schema: S, signal: AbortSignal): Promise<z.output<S>> {
    const what = `Dataverse ${entitySet}`;
    const query = Object.entries(options)
      .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
      .join('&');
    let response;
    try {
      response = await this.http.request({
        url: `${connection.organizationUrl}${API_PATH}/${entitySet}?${query}`,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          'odata-maxversion': '4.0',
          'odata-version': '4.0',
          prefer: 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"',
        },
        signal,
        timeoutMs: connection.answerBudgetMs,
      });
    } catch (error) {
      throw dataDipFailureOf(error, what);
    }
    if (response.status === 401) throw new TokenRejected(`${what} refused the token`);
    if (response.status !== 200) throw dataDipFailureOfStatus(response, what);
    let body: unknown;
    try {
      body = response.json();
    } catch {
      body = undefined;
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new DataDipFailure('crm_error', `${what} answered 200 with an unexpected body`);
    return parsed.data;
  }
}
