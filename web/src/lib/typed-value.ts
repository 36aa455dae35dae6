// Parses text typed into a form into a JSON value of a declared parameter type.

import type { JsonValue, ParameterType } from '@/types/api';

export type Parsed = { ok: true; value: JsonValue | undefined } | { ok: false; problem: string };

/** Empty text gives value undefined (not given); otherwise the typed value, or a problem to show the person. */
export function parseTyped(text: string, type: ParameterType): Parsed {
  const raw = text.trim();
  if (raw === '') {
    return { ok: true, value: undefined };
  }
  switch (type) {
    case 'string':
      return { ok: true, value: text };
    case 'integer':
    case 'number': {
      const value = Number(raw);
      if (!Number.isFinite(value)) {
        return { ok: false, problem: 'Enter a number.' };
      }
      if (type === 'integer' && !Number.isInteger(value)) {
        return { ok: false, problem: 'Enter a whole number.' };
      }
      return { ok: true, value };
    }
    case 'boolean':
      if (raw === 'true' || raw === 'false') {
        return { ok: true, value: raw === 'true' };
      }
      return { ok: false, problem: 'Enter true or false.' };
    case 'object':
    case 'array': {
      try {
        const value = JSON.parse(raw) as JsonValue;
        const isArray = Array.isArray(value);
        const isObject = typeof value === 'object' && value !== null && !isArray;
        if ((type === 'array' && !isArray) || (type === 'object' && !isObject)) {
          return { ok: false, problem: type === 'array' ? 'Enter a JSON array, like [1, 2].' : 'Enter a JSON object, like {"a": 1}.' };
        }
        return { ok: true, value };
      } catch {
        return { ok: false, problem: 'Enter valid JSON.' };
      }
    }
  }
}
