/**
 * crm-sync's custom-CRM endpoint settings (`PUT /crm/custom/settings` → `endpoints`) for every endpoint of CS2.1
 * against this simulator's API: accounts found by phone or e-mail, open records per account, records updated
 * with subject and description, comments and attachments on records.
 */
export function crmSimulatorEndpoints(simulatorUrl: string) {
  const api = `${simulatorUrl}/api`;
  return {
    findAccountByQuery: { url: `${api}/accounts`, method: 'GET', parameters: { criteria: '=CONCAT_OR((Phone:equals:{PHONE_NUMBER}), (Email:equals:{EMAIL}))' }, responseDataLocation: 'data' },
    createAccount: { url: `${api}/accounts`, method: 'POST', parameters: { name: '{NAME}', Phone: '{PHONE_NUMBER}', owner: '=DEFAULT_VALUE({AGENT_EMAIL}, support@example.com)' }, responseDataLocation: 'data' },
    findRecordByQuery: { url: `${api}/records`, method: 'GET', parameters: { accountId: '{ACCOUNT_ID}', status: 'open' }, responseDataLocation: 'data' },
    createRecord: {
      url: `${api}/records`,
      method: 'POST',
      parameters: { accountId: '{ACCOUNT_ID}', subject: '{TICKET_SUBJECT}', owner: '=DEFAULT_VALUE({AGENT_EMAIL}, unassigned@example.com)' },
      responseDataLocation: 'data',
    },
    updateRecord: { url: `${api}/records/{RECORD_ID}`, method: 'PATCH', parameters: { subject: '{TICKET_SUBJECT}', description: '{TICKET_DESCRIPTION}' }, responseDataLocation: 'data' },
    uploadFile: { url: `${api}/records/{RECORD_ID}/attachments`, method: 'POST', parameters: { file: '{FILE_DATA}', name: '{FILE_NAME}', contentType: '{FILE_CONTENT_TYPE}' }, responseDataLocation: 'data' },
    comment: { url: `${api}/records/{RECORD_ID}/comments`, method: 'POST', parameters: { body: '{COMMENT_BODY}' }, responseDataLocation: 'data' },
  };
}
