import { createHash, createHmac } from 'node:crypto';

/**
 * Azure Communication Services' HMAC-SHA256 request signature: the string
 * `VERB\n<path and query>\n<x-ms-date>;<host>;<x-ms-content-sha256>` signed with the base64-decoded access key
 * (https://learn.microsoft.com/azure/communication-services/tutorials/hmac-header-tutorial).
 */
export function acsStringToSign(method: string, pathAndQuery: string, date: string, host: string, contentHash: string): string {
  return `${method.toUpperCase()}\n${pathAndQuery}\n${date};${host};${contentHash}`;
}

export function acsSignature(accessKeyBase64: string, stringToSign: string): string {
  return createHmac('sha256', Buffer.from(accessKeyBase64, 'base64')).update(stringToSign, 'utf8').digest('base64');
}

/** `x-ms-content-sha256`: the base64 SHA-256 of the body. */
export function acsContentHash(body: string | Buffer): string {
  return createHash('sha256').update(body).digest('base64');
}

export const ACS_SIGNED_HEADERS = 'x-ms-date;host;x-ms-content-sha256';
