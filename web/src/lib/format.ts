// Small display helpers: dates, durations, labels and JSON.

import type { AuthType, JsonValue } from '@/types/api';

const AUTH_LABELS: Record<AuthType, string> = {
  none: 'No auth',
  api_key: 'API key',
  bearer: 'Bearer token',
  basic: 'Basic auth',
  oauth2: 'OAuth 2.0',
};

/** A person-readable name for an auth type. */
export function authTypeLabel(authType: AuthType): string {
  return AUTH_LABELS[authType] ?? authType;
}

/** "24 Nov 2026, 14:05" in the browser's locale; "—" for empty or invalid input. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) {
    return '—';
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    return value;
  }
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** "850 ms" or "2.4 s". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) {
    return '—';
  }
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** A JSON value pretty-printed with two spaces; strings that hold JSON are parsed first. */
export function prettyJson(value: JsonValue | undefined): string {
  if (value === undefined) {
    return '';
  }
  if (typeof value === 'string') {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  return JSON.stringify(value, null, 2);
}

/** Turns a display name into an identifier matching [a-z0-9_]+. */
export function toIdentifier(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64);
}
