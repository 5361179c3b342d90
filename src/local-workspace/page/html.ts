/** HTML text and attribute escaping: everything the page shows goes through here or the mrkdwn renderer. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A data attribute holding JSON, escaped for a double-quoted attribute. */
export function jsonAttribute(value: unknown): string {
  return escapeHtml(JSON.stringify(value));
}
