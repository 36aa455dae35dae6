// Keeps what was typed in open forms across an expired session. When a call answers 401, every mounted form's
// state is snapshotted here before the app goes to sign-in; the form takes it back when it mounts again.
// Memory only: a draft may hold a secret, so it never goes to localStorage, sessionStorage or the URL.

import { useEffect, useRef, useState, type Dispatch, type SetStateAction } from 'react';

const live = new Map<string, () => unknown>();
const saved = new Map<string, unknown>();
let savedFor: string | null = null;

/** Registers a getter for a mounted form's state; returns the unregister function. */
export function registerDraft(key: string, read: () => unknown): () => void {
  live.set(key, read);
  return () => {
    if (live.get(key) === read) {
      live.delete(key);
    }
  };
}

/** Copies every mounted form's state into memory, on behalf of the user who typed it. */
export function snapshotDrafts(ownerId: string | null) {
  savedFor = ownerId;
  for (const [key, read] of live) {
    saved.set(key, read());
  }
}

/** Called after a sign-in: drafts typed by someone else are dropped. */
export function keepDraftsOnlyFor(userId: string) {
  if (savedFor !== null && savedFor !== userId) {
    saved.clear();
  }
  savedFor = userId;
}

/** Returns and forgets the saved draft for key, or undefined. */
export function takeDraft<T>(key: string): T | undefined {
  if (!saved.has(key)) {
    return undefined;
  }
  const value = saved.get(key) as T;
  saved.delete(key);
  return value;
}

/** Whether a draft waits for key (does not consume it). */
export function hasDraft(key: string): boolean {
  return saved.has(key);
}

/** Forgets every saved draft (sign-out). */
export function clearDrafts() {
  saved.clear();
  savedFor = null;
}

/**
 * useState whose value survives an expired session: restored from a saved draft on mount, snapshotted on 401.
 * A null key makes it a plain useState.
 */
export function useDraftState<T>(key: string | null, initial: T | (() => T)): [T, Dispatch<SetStateAction<T>>] {
  const [value, setValue] = useState<T>(() => {
    const restored = key ? takeDraft<T>(key) : undefined;
    if (restored !== undefined) {
      return restored;
    }
    return typeof initial === 'function' ? (initial as () => T)() : initial;
  });
  const current = useRef(value);
  current.current = value;
  useEffect(() => {
    if (!key) {
      return undefined;
    }
    return registerDraft(key, () => current.current);
  }, [key]);
  return [value, setValue];
}
