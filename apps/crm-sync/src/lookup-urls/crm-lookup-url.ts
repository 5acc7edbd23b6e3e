import type { SessionValues } from '../crm-engine/crm-variables';
import { parseTemplate, renderTemplate } from '../crm-engine/template';
import { CrmTemplateError } from '../crm-engine/template-error';

/**
 * A CRM lookup URL for agents (CS1.4: account `…/{ACCOUNT_ID}`, record `…/{RECORD_ID}`), values
 * percent-encoded; undefined when the template is unusable or a variable it holds has no value.
 */
export function renderCrmLookupUrl(template: string | undefined, values: SessionValues): string | undefined {
  if (!template) return undefined;
  try {
    const rendered = renderTemplate(parseTemplate(template, 'lookup URL'), (variable) => values[variable], encodeURIComponent);
    return rendered.missing.length === 0 ? rendered.text : undefined;
  } catch (error) {
    if (error instanceof CrmTemplateError) return undefined;
    throw error;
  }
}
