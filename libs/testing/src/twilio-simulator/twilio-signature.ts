import { createHmac } from 'node:crypto';

/**
 * `X-Twilio-Signature` as Twilio computes it for webhooks: the full URL, then every POST parameter's name
 * followed by its value, names sorted (values of a repeated name in order), HMAC-SHA1 with the account's
 * auth token, base64. (https://www.twilio.com/docs/usage/security#validating-requests)
 */
export function twilioSignature(authToken: string, url: string, params: Record<string, string | string[]>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((text, name) => {
      const value = params[name];
      const values = Array.isArray(value) ? [...value].sort() : [value];
      return text + values.map((one) => `${name}${one ?? ''}`).join('');
    }, url);
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}
