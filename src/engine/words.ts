// How engine messages (and the Slack text built on them) name things in a sentence.

/** A step title in curly quotes, as every message names a step. */
export function quoted(title: string): string {
  return `“${title}”`;
}

/** `a`, `a and b`, `a, b and c`. */
export function joinWords(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
