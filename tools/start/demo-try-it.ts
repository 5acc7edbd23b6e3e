/** What the "try it" block of `npm start`'s summary shows about the demo tenant. */
export interface TryItInput {
  tenantId: string;
  agentId: string;
  eventBridgeUrl: string;
  token: string;
  tokenHours: number;
  mailInboxUrl: string;
  exportsLocation: string;
  afterCallDelaySec: number;
}

export const SCENARIOS: { id: string; what: string }[] = [
  { id: 'e1', what: 'callback: request → dialed by the voice simulator → completed' },
  { id: 'e2', what: 'case notification: CRM case → SMS in the Twilio simulator → delivered → reply' },
  { id: 'e3', what: 'inbound call: CRM record + pop on the desktop → comments → export + e-mail' },
  { id: 'e4', what: 'IVR data dip: caller ANI → Dynamics (simulator) → greeting' },
];

/** The summary's "try it" lines: the agent desktop, a ready token, one command per scenario. */
export function formatTryIt(input: TryItInput): string[] {
  const width = Math.max(...SCENARIOS.map(({ id }) => `npm run demo -- ${id}`.length));
  return [
    `  Try it (demo tenant ${input.tenantId}; --no-demo leaves it out)`,
    `    Agent desktop  ${input.eventBridgeUrl}/demo/agent-desktop#token=${input.token}`,
    `    Token          ${input.token}`,
    `                   (agent ${input.agentId}, roles Administrator, OmnichannelSupervisor, OmnichannelAgent; valid ${input.tokenHours} h)`,
    ...SCENARIOS.map(({ id, what }) => `    ${`npm run demo -- ${id}`.padEnd(width)}  ${what}`),
    `    ${'npm run demo'.padEnd(width)}  all four, with a summary table`,
    `    E-mails        ${input.mailInboxUrl}/messages`,
    `    Exports        ${input.exportsLocation}`,
    `    Demo settings  outcome e-mail and metadata export ${input.afterCallDelaySec} s after a call (not 15 min); SMS not held for quiet hours`,
  ];
}
