import { closed } from '@switchboard/validation';
import { z } from 'zod';

/** The adapter iframes of the source (EB3.4): URL form, size and the permissions calls and video need. */
export const ADAPTER_FRAMES = {
  call: { type: 'call', width: 290, height: 600 },
  chat: { type: 'chat', width: 450, height: 590 },
} as const;

export const ADAPTER_FRAME_ALLOW = 'microphone; camera; geolocation';

export interface AdapterEmbed {
  url: string;
  width: number;
  height: number;
  allow: string;
  /** The iframe element to paste into a CRM page, attribute values HTML-escaped. */
  html: string;
}

export interface AdapterEmbeds {
  adapterHost: string;
  call: AdapterEmbed;
  chat: AdapterEmbed;
}

const HOSTNAME = z.regexes.hostname;

/**
 * `adapterHost`: the tenant's adapter host name, e.g. `tenant.loc.example.com`; `https://` in front is
 * accepted. Nothing else: no other scheme, port, path, query, credentials, quotes or spaces, so the
 * snippet cannot point anywhere but `https://<host>/agent/`.
 */
export const adapterEmbedsQuery = closed({
  adapterHost: z
    .string()
    .max(253)
    .transform((value) => value.replace(/^https:\/\//i, '').replace(/\/$/, '').toLowerCase())
    .refine((host) => HOSTNAME.test(host), 'must be a host name such as tenant.example.com (https only: no scheme but https://, no port, path, query or credentials)')
    .meta({ description: 'The adapter host, e.g. tenant.loc.example.com (https://tenant.loc.example.com is accepted too)', example: 'tenant.loc.example.com' }),
});

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

function embed(host: string, frame: (typeof ADAPTER_FRAMES)[keyof typeof ADAPTER_FRAMES]): AdapterEmbed {
  const url = new URL(`https://${host}/agent/`);
  url.searchParams.set('type', frame.type);
  url.searchParams.set('from', 'custom');
  const href = url.href;
  const html = `<iframe src="${escapeHtml(href)}" allow="${ADAPTER_FRAME_ALLOW}" width="${frame.width}" height="${frame.height}"></iframe>`;
  return { url: href, width: frame.width, height: frame.height, allow: ADAPTER_FRAME_ALLOW, html };
}

/** The call and chat adapter snippets for a validated host (see adapterEmbedsQuery). */
export function adapterEmbeds(adapterHost: string): AdapterEmbeds {
  return { adapterHost, call: embed(adapterHost, ADAPTER_FRAMES.call), chat: embed(adapterHost, ADAPTER_FRAMES.chat) };
}
