import { closed } from '@switchboard/validation';
import { z } from 'zod';
import { canonicalLocale } from './locale-choice';
import { parsePlaceholderText, PlaceholderSyntaxError } from './placeholder-text';
import { CHANNEL_TYPES, type TemplateVersion } from './template-rendering';

export const TEMPLATE_LIMITS = { versions: 50, textLength: 1_600, variables: 20, variableLength: 1_024 } as const;
export const TEMPLATE_LABEL = 'The template';

const versionSchema = closed({
  text: z.string().min(1).max(TEMPLATE_LIMITS.textLength),
  providerTemplateId: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'must be the provider\'s template id (letters, digits and _ . : -, at most 100)')
    .optional(),
  variables: z
    .record(z.string().regex(/^[1-9][0-9]?$/, 'variable names are the template\'s numbers 1 to 99'), z.string().min(1).max(TEMPLATE_LIMITS.variableLength))
    .refine((variables) => Object.keys(variables).length <= TEMPLATE_LIMITS.variables, `at most ${TEMPLATE_LIMITS.variables} variables`)
    .optional(),
});

/** The body of POST and PUT /outbound/templates (OM1.1); locales come out in canonical spelling. */
export const templateSchema = closed({
  name: z.string().trim().min(1).max(100),
  channelType: z.enum(CHANNEL_TYPES),
  defaultLocale: z.string().min(1).max(35),
  versions: z
    .record(z.string().max(35), versionSchema)
    .refine((versions) => Object.keys(versions).length >= 1, 'needs at least one localized version')
    .refine((versions) => Object.keys(versions).length <= TEMPLATE_LIMITS.versions, `at most ${TEMPLATE_LIMITS.versions} localized versions`),
})
  .superRefine((template, ctx) => {
    const canonical = new Map<string, string>();
    for (const [locale, version] of Object.entries(template.versions)) {
      const spelled = canonicalLocale(locale);
      if (!spelled) ctx.addIssue({ code: 'custom', path: ['versions', locale], message: `"${locale}" is not a locale (a BCP 47 language tag such as en-US or fr)` });
      else if (canonical.has(spelled)) ctx.addIssue({ code: 'custom', path: ['versions', locale], message: `is the same locale as "${canonical.get(spelled)}"` });
      else canonical.set(spelled, locale);
      checkVersion(template.channelType, version, ['versions', locale], ctx);
    }
    const defaultLocale = canonicalLocale(template.defaultLocale);
    if (!defaultLocale || !canonical.has(defaultLocale)) {
      ctx.addIssue({ code: 'custom', path: ['defaultLocale'], message: `must be one of the versions' locales (${Object.keys(template.versions).join(', ')})` });
    }
  })
  .transform((template) => ({
    ...template,
    defaultLocale: canonicalLocale(template.defaultLocale) as string,
    versions: Object.fromEntries(Object.entries(template.versions).map(([locale, version]) => [canonicalLocale(locale) as string, version])) as Record<string, TemplateVersion>,
  }));

function checkVersion(channelType: string, version: z.output<typeof versionSchema>, path: string[], ctx: z.RefinementCtx): void {
  const placeholders = (text: string, field: (string | number)[]) => {
    try {
      parsePlaceholderText(text);
    } catch (error) {
      if (!(error instanceof PlaceholderSyntaxError)) throw error;
      ctx.addIssue({ code: 'custom', path: field, message: error.message });
    }
  };
  placeholders(version.text, [...path, 'text']);
  for (const [name, text] of Object.entries(version.variables ?? {})) placeholders(text, [...path, 'variables', name]);
  if (channelType === 'whatsapp') {
    if (!version.providerTemplateId) ctx.addIssue({ code: 'custom', path: [...path, 'providerTemplateId'], message: "is required for WhatsApp: the provider's approved template id" });
    if (!version.variables) ctx.addIssue({ code: 'custom', path: [...path, 'variables'], message: 'is required for WhatsApp (use {} for a template without variables)' });
  } else {
    if (version.providerTemplateId !== undefined) ctx.addIssue({ code: 'custom', path: [...path, 'providerTemplateId'], message: 'is only for WhatsApp templates' });
    if (version.variables !== undefined) ctx.addIssue({ code: 'custom', path: [...path, 'variables'], message: 'is only for WhatsApp templates' });
  }
}

export type TemplateInput = z.output<typeof templateSchema>;

export const templateExample: z.input<typeof templateSchema> = {
  name: 'Case created',
  channelType: 'sms',
  defaultLocale: 'en-US',
  versions: {
    'en-US': { text: 'Hi {{CustomerName}}, your case {{CaseName}} was created. We will reply by {{replyBy}}.' },
    fr: { text: 'Bonjour {{CustomerName}}, votre dossier {{CaseName}} a été créé. Réponse avant {{replyBy}}.' },
    'zh-TW': { text: '{{CustomerName}} 您好,您的案例 {{CaseName}} 已建立。' },
  },
};

export interface TemplateView extends TemplateInput {
  id: string;
  createdAt: string;
  updatedAt: string;
}

/** The body of POST /outbound/templates/{id}/preview: one contact's values, as in the invoke API's ContactList. */
export const previewSchema = closed({
  locale: z.string().max(35).optional(),
  CustomerName: z.string().max(200).default(''),
  CaseName: z.string().max(200).default(''),
  contextitems: z.record(z.string().max(64), z.union([z.string().max(1_000), z.number(), z.boolean()]).transform(String)).default({}),
});
export type PreviewInput = z.output<typeof previewSchema>;
export const previewExample: z.input<typeof previewSchema> = { locale: 'fr-CA', CustomerName: 'Dana Levi', CaseName: 'CAS-01042', contextitems: { replyBy: 'mardi' } };
