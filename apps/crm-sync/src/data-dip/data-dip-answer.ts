import type { DynamicsCase, DynamicsContact } from './dataverse-client';
import type { DataDipFailureKind } from './data-dip-failure';

/** What the IVR learns (CS7.2): one of these outcomes, each with its text, routing and screen pop. */
export type DataDipOutcome = 'case_found' | 'no_case' | 'customer_not_found' | DataDipFailureKind;

export interface DataDipAnswer {
  outcome: DataDipOutcome;
  /** The text the IVR speaks (TTS): the personalised greeting or the "no case found" message. */
  prompt: string;
  /**
   * offer_agent_or_disconnect: the main menu (talk to an agent or hang up), after a case was read out;
   * queue_to_agent: straight to the queue. Every outcome reaches an agent (CS7.3).
   */
  routing: { action: 'offer_agent_or_disconnect' | 'queue_to_agent'; queue: string };
  /** The agent's screen pop: the latest case's form, or a new-case form (with the customer filled in when known). */
  screenPopUrl: string;
  customer?: DynamicsContact;
  case?: DynamicsCase;
  /** crm_throttled: Dynamics asked for this pause; dips of the tenant skip Dynamics until it has passed. */
  retryAfterSeconds?: number;
}

const CONNECTING = 'We are connecting you to an agent.';

function caseForm(organizationUrl: string, incidentId: string): string {
  return `${organizationUrl}/main.aspx?etn=incident&pagetype=entityrecord&id=${encodeURIComponent(incidentId)}`;
}

/** The new-case form; extraqs pre-fills the customer lookup (Microsoft: "Set field values using parameters passed to a form"). */
function newCaseForm(organizationUrl: string, customer?: DynamicsContact): string {
  const form = `${organizationUrl}/main.aspx?etn=incident&pagetype=entityrecord`;
  if (!customer) return form;
  const prefill = new URLSearchParams({ customerid: customer.contactId, customeridname: customer.fullName, customeridtype: 'contact' }).toString();
  return `${form}&extraqs=${encodeURIComponent(prefill)}`;
}

export function caseFoundAnswer(organizationUrl: string, queue: string, customer: DynamicsContact, found: DynamicsCase): DataDipAnswer {
  return {
    outcome: 'case_found',
    prompt: `Hello ${customer.fullName}. Your latest case is ${found.ticketNumber}: ${found.title}. To speak to an agent about it, press 1. To end the call, press 2.`,
    routing: { action: 'offer_agent_or_disconnect', queue },
    screenPopUrl: caseForm(organizationUrl, found.incidentId),
    customer,
    case: found,
  };
}

export function noCaseAnswer(organizationUrl: string, queue: string, customer?: DynamicsContact): DataDipAnswer {
  const greeting = customer ? `Hello ${customer.fullName}. ` : '';
  return {
    outcome: customer ? 'no_case' : 'customer_not_found',
    prompt: `${greeting}We could not find a case for you. ${CONNECTING}`,
    routing: { action: 'queue_to_agent', queue },
    screenPopUrl: newCaseForm(organizationUrl, customer),
    ...(customer ? { customer } : {}),
  };
}

export function failureAnswer(organizationUrl: string, queue: string, kind: DataDipFailureKind, retryAfterSeconds?: number): DataDipAnswer {
  return {
    outcome: kind,
    prompt: `Thank you for calling. ${CONNECTING}`,
    routing: { action: 'queue_to_agent', queue },
    screenPopUrl: newCaseForm(organizationUrl),
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
  };
}
