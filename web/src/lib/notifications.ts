// A tiny toast store: anything may call notify(); the Toaster component renders the list.

import { useSyncExternalStore } from 'react';

export type ToastKind = 'success' | 'error' | 'info';
export type Toast = { id: number; kind: ToastKind; title: string; description?: string };

let toasts: Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();

function emit() {
  for (const listener of listeners) {
    listener();
  }
}

/** Shows a toast and returns its id. An identical toast already on screen is not repeated. */
export function notify(toast: Omit<Toast, 'id'>): number {
  const same = toasts.find(
    (t) => t.kind === toast.kind && t.title === toast.title && t.description === toast.description,
  );
  if (same) {
    return same.id;
  }
  const id = nextId++;
  toasts = [...toasts, { ...toast, id }].slice(-5);
  emit();
  return id;
}

/** Removes a toast; unknown ids are ignored. */
export function dismiss(id: number) {
  toasts = toasts.filter((t) => t.id !== id);
  emit();
}

/** Removes every toast (tests, sign-out). */
export function dismissAll() {
  toasts = [];
  emit();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** The toasts on screen, newest last. */
export function useToasts(): Toast[] {
  return useSyncExternalStore(subscribe, () => toasts);
}
