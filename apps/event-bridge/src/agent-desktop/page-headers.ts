import type { FastifyReply } from 'fastify';

/**
 * The platform answers everything with a CSP that loads nothing, frame denial and same-origin resource
 * policy (libs/service-kit security headers): right for JSON, wrong for these routes. Each route below
 * widens exactly what its page needs, and nothing else changes.
 */
const policy = (directives: Record<string, string>) =>
  Object.entries(directives)
    .map(([name, value]) => `${name} ${value}`)
    .join('; ');

const LOCKED = { 'default-src': "'none'", 'base-uri': "'none'", 'form-action': "'none'" };

/**
 * The demo desktop: its own scripts and styles (no inline code), calls to this bridge, frames for the
 * adapter (this origin) and the CRM record (whatever http(s) URL a pop names); framed by nobody.
 */
const DESKTOP_CSP = policy({
  ...LOCKED,
  'script-src': "'self'",
  'style-src': "'self'",
  'img-src': "'self' data:",
  'connect-src': "'self'",
  'frame-src': "'self' https: http:",
  'frame-ancestors': "'none'",
});

/** The adapter simulator: framed by pages of this origin only (the demo desktop). */
const SIMULATOR_CSP = policy({ ...LOCKED, 'script-src': "'self'", 'style-src': "'self'", 'frame-ancestors': "'self'" });

/** Headers each kind of answer sets over the platform's defaults. */
const HEADERS = {
  desktop: { 'content-security-policy': DESKTOP_CSP },
  simulator: { 'content-security-policy': SIMULATOR_CSP, 'x-frame-options': 'SAMEORIGIN' },
  /** The demo pages' own scripts and styles: the platform's headers fit them as they are. */
  'demo-asset': {},
  'bridge-script': {
    // CRM pages of other origins load it with <script src>: a same-origin resource policy would block that.
    'cross-origin-resource-policy': 'cross-origin',
    // Revalidated on every load (ETag), so a fixed script reaches agents' pages at once.
    'cache-control': 'no-cache',
  },
} satisfies Record<string, Record<string, string>>;

export type PageKind = keyof typeof HEADERS;

export function setPageHeaders(reply: FastifyReply, kind: PageKind): void {
  reply.headers(HEADERS[kind]);
}
