// Vitest set-up: DOM matchers, a clean slate after every test, and a standing check that nothing was ever
// written to web storage (secrets must stay out of localStorage and sessionStorage).

import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach, expect, vi } from 'vitest';
import { clearDrafts } from '@/lib/drafts';
import { dismissAll } from '@/lib/notifications';
import { resetSessionMemory } from '@/lib/session';

beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
});

afterEach(() => {
  cleanup();
  dismissAll();
  clearDrafts();
  resetSessionMemory();
  vi.unstubAllGlobals();
  expect(localStorage.length, 'nothing may be written to localStorage').toBe(0);
  expect(sessionStorage.length, 'nothing may be written to sessionStorage').toBe(0);
});
