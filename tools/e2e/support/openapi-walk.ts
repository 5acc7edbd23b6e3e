/** The parts of an OpenAPI 3 document that the walks below read. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
}

interface OpenApiOperation {
  parameters?: { name: string; in: string }[];
  requestBody?: { content?: Record<string, { schema?: unknown; example?: unknown; examples?: Record<string, unknown> }> };
}

const BODY_METHODS = ['post', 'put', 'patch'];

/** "POST /path" for every operation with a request body, and what its documentation lacks. */
export function requestBodyGaps(document: OpenApiDocument): { operations: string[]; gaps: string[] } {
  const operations: string[] = [];
  const gaps: string[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods).filter(([method]) => BODY_METHODS.includes(method))) {
      const name = `${method.toUpperCase()} ${path}`;
      operations.push(name);
      const content = Object.entries(operation.requestBody?.content ?? {});
      if (content.length === 0) gaps.push(`${name}: no request body`);
      for (const [mediaType, media] of content) {
        if (!media.schema) gaps.push(`${name} (${mediaType}): no schema`);
        if (media.example === undefined && Object.keys(media.examples ?? {}).length === 0) gaps.push(`${name} (${mediaType}): no example`);
      }
    }
  }
  return { operations, gaps };
}

/** The GET paths that declare a `limit` query parameter (the paged lists). */
export function pagedListPaths(document: OpenApiDocument): string[] {
  return Object.entries(document.paths)
    .filter(([, methods]) => methods['get']?.parameters?.some((parameter) => parameter.in === 'query' && parameter.name === 'limit'))
    .map(([path]) => path);
}
