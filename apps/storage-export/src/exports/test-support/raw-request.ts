import { request } from 'node:http';

/**
 * An HTTP request sent exactly as written: `fetch` normalises `..` and `%2e%2e` segments away, which
 * would hide the path-traversal cases. `declaredLength` sends a Content-Length without the bytes (the
 * answer must come before them). Answers as a fetch Response.
 */
export function rawRequest(baseUrl: string, options: { method: string; path: string; headers?: Record<string, string>; body?: Buffer | string; declaredLength?: number }): Promise<Response> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.declaredLength !== undefined) headers['content-length'] = String(options.declaredLength);
    const outgoing = request({ host: url.hostname, port: url.port, method: options.method, path: options.path, headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        outgoing.destroy();
        resolve(new Response(Buffer.concat(chunks), { status: incoming.statusCode ?? 0 }));
      });
      incoming.on('error', reject);
    });
    outgoing.on('error', (error) => (options.declaredLength === undefined ? reject(error) : undefined));
    if (options.declaredLength !== undefined) outgoing.flushHeaders();
    else outgoing.end(options.body);
  });
}
