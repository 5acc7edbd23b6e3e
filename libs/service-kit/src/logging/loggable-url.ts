/**
 * Query parameters that carry credentials in URLs we are called on: Event Grid's subscription secret (`code`),
 * OAuth's authorization code and state, signed download links (`signature`), tokens and keys.
 */
const SECRET_PARAMETERS = /^(code|state|token|access_token|id_token|refresh_token|sig|signature|secret|key|apikey|api_key|password|x-amz-signature|x-goog-signature)$/i;

/** The request URL as logs may show it: the values of credential-carrying query parameters replaced. */
export function loggableUrl(url: string): string {
  const start = url.indexOf('?');
  if (start === -1) return url;
  const parameters = url
    .slice(start + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals === -1 ? pair : pair.slice(0, equals);
      return equals !== -1 && SECRET_PARAMETERS.test(safeDecode(name)) ? `${name}=[redacted]` : pair;
    });
  return `${url.slice(0, start)}?${parameters.join('&')}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
