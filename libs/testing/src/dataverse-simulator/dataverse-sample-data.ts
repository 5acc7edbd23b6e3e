import type { ODataRow } from './odata-query';

/** Columns of the simulated Dataverse tables (a subset of Microsoft's contact and incident tables). */
export const CONTACT_FIELDS = ['contactid', 'fullname', 'firstname', 'lastname', 'telephone1', 'mobilephone', 'emailaddress1', 'createdon'] as const;
export const INCIDENT_FIELDS = ['incidentid', 'title', 'ticketnumber', '_customerid_value', 'statecode', 'createdon'] as const;

export interface SimulatedContact extends ODataRow {
  contactid: string;
  fullname: string;
  telephone1: string | null;
  mobilephone: string | null;
}

export interface SimulatedIncident extends ODataRow {
  incidentid: string;
  title: string;
  ticketnumber: string;
  _customerid_value: string;
  createdon: string;
}

/**
 * Sample rows for `npm start` and the tests. Phone numbers are stored the way CRM users type them:
 * national digits, E.164 with "+", or with separators (which a lookup by ANI then cannot find).
 */
const KIM_LEE = '6f1d5a52-3c8e-4b0f-9a51-0c3e4b2a9d01';
const JONAS_WEBER = '0b6a8e43-8d7c-4d1e-b6f2-7a9c1e3d5f02';

export const SAMPLE_CONTACTS: SimulatedContact[] = [
  { contactid: KIM_LEE, fullname: 'Kim Lee', firstname: 'Kim', lastname: 'Lee', telephone1: '2125550123', mobilephone: null, emailaddress1: 'kim@example.com', createdon: '2026-01-05T09:00:00Z' },
  { contactid: JONAS_WEBER, fullname: 'Jonas Weber', firstname: 'Jonas', lastname: 'Weber', telephone1: null, mobilephone: '+4915123456789', emailaddress1: 'jonas@example.de', createdon: '2026-02-11T10:30:00Z' },
  { contactid: 'c4e2f1a0-5b6d-4c8e-9f0a-1b2c3d4e5f03', fullname: 'Ana Souza', firstname: 'Ana', lastname: 'Souza', telephone1: '6505550199', mobilephone: null, emailaddress1: 'ana@example.com', createdon: '2026-03-02T08:15:00Z' },
];

export const SAMPLE_INCIDENTS: SimulatedIncident[] = [
  { incidentid: 'a1b2c3d4-0001-4e5f-8a9b-0c1d2e3f4a01', title: 'Router keeps rebooting', ticketnumber: 'CAS-01001-K3L9', _customerid_value: KIM_LEE, statecode: 0, createdon: '2026-04-01T12:00:00Z' },
  { incidentid: 'a1b2c3d4-0002-4e5f-8a9b-0c1d2e3f4a02', title: 'Invoice shows a double charge', ticketnumber: 'CAS-01002-P7Q2', _customerid_value: KIM_LEE, statecode: 0, createdon: '2026-05-20T16:45:00Z' },
  { incidentid: 'a1b2c3d4-0003-4e5f-8a9b-0c1d2e3f4a03', title: 'Lieferung verspätet', ticketnumber: 'CAS-01003-W4X8', _customerid_value: JONAS_WEBER, statecode: 1, createdon: '2026-03-15T07:20:00Z' },
];
