// Outbound HTTP to administrator-configured URLs with an SSRF guard (P2.5), on undici and ipaddr.js.
export * from './address-policy';
export * from './host-resolver';
export * from './outbound-errors';
export * from './outbound-http-client';
