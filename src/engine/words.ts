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

/** The first letter upper-case, the rest as written. */
export function capitalise(text: string): string {
  return text.length > 0 ? `${text[0]?.toUpperCase()}${text.slice(1)}` : text;
}
