const MENTION = /<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g;

/** The user ids of the people mentioned (`<@U123>` or `<@U123|name>`), in order. */
export function mentionsIn(text: string): string[] {
  return [...text.matchAll(MENTION)].map((m) => m[1] ?? '').filter(Boolean);
}

/** The text with every mention replaced by a space. */
export function withoutMentions(text: string): string {
  return text.replace(MENTION, ' ');
}
