/** Small narrowing helpers for the untyped JSON and form values the fake receives. */

export type JsonObject = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string argument; numbers and booleans are accepted because form encoding turns them into text anyway. */
export function argString(args: JsonObject, key: string): string | undefined {
  const value = args[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Form encoding sends booleans as `"true"`/`"false"`; JSON bodies send real booleans. */
export function argBool(args: JsonObject, key: string): boolean {
  const value = args[key];
  return value === true || value === 'true' || value === '1' || value === 1;
}

/** `users=U1,U2` in forms, or a JSON array: both mean a list of IDs. */
export function argList(args: JsonObject, key: string): string[] {
  const value = args[key];
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  return items
    .filter((item): item is string => typeof item === 'string')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** Slack's `{ type: 'plain_text', text }` objects: the length of their text, 0 when absent. */
export function textLength(value: unknown): number {
  return isRecord(value) && typeof value.text === 'string' ? value.text.length : 0;
}
