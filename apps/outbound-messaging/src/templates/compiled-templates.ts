import type { MessageTemplate } from '../generated/prisma/client';
import { compileTemplate, type CompiledTemplate, type StoredTemplate } from './template-rendering';

const MAX_ENTRIES = 1_000;

/** Templates parsed once per version (id + updatedAt), not once per request: the invoke API's hot path. */
export class CompiledTemplates {
  private readonly byVersion = new Map<string, CompiledTemplate>();

  of(row: MessageTemplate): CompiledTemplate {
    const key = `${row.id}@${row.updatedAt.getTime()}`;
    let compiled = this.byVersion.get(key);
    if (!compiled) {
      compiled = compileTemplate(row as unknown as StoredTemplate);
      // Oldest first out: a Map iterates in insertion order.
      if (this.byVersion.size >= MAX_ENTRIES) this.byVersion.delete(this.byVersion.keys().next().value as string);
      this.byVersion.set(key, compiled);
    }
    return compiled;
  }
}
