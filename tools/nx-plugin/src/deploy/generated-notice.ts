/** The first line of every generated deployment text, so that nobody edits it by hand. */
export function GENERATED_NOTICE(source: string, template: string): string {
  return `Generated from ${source} by \`npm run deploy:generate\` (template: ${template}); edit those, not this.`;
}

/** A generated region inside a hand-written file: the text between these two lines is replaced. */
export interface Markers {
  begin: string;
  end: string;
}

/** `text` with the lines between the markers replaced by `block`; the markers must exist, in order. */
export function replaceBetweenMarkers(text: string, markers: Markers, block: string, file: string): string {
  const lines = text.split('\n');
  const begin = lines.findIndex((line) => line.trim() === markers.begin);
  const end = lines.findIndex((line, index) => index > begin && line.trim() === markers.end);
  if (begin < 0 || end < 0) throw new Error(`${file}: the generated region's marker lines are missing:\n  ${markers.begin}\n  ${markers.end}`);
  return [...lines.slice(0, begin + 1), ...block.replace(/\n$/, '').split('\n'), ...lines.slice(end)].join('\n');
}
