// Renders the toast list from lib/notifications: errors are announced at once, others politely; each fades
// after a few seconds and can be dismissed.

import { useEffect } from 'react';
import { dismiss, useToasts, type Toast } from '@/lib/notifications';

const LIFETIME_MS: Record<Toast['kind'], number> = { success: 5000, info: 6000, error: 9000 };

function ToastItem({ toast }: { toast: Toast }) {
  useEffect(() => {
    const timer = window.setTimeout(() => dismiss(toast.id), LIFETIME_MS[toast.kind]);
    return () => window.clearTimeout(timer);
  }, [toast.id, toast.kind]);
  return (
    <div className={`toast toast--${toast.kind}`} role={toast.kind === 'error' ? 'alert' : 'status'}>
      <div className="toast__text">
        <p className="toast__title">{toast.title}</p>
        {toast.description && <p className="toast__description">{toast.description}</p>}
      </div>
      <button type="button" className="btn btn--ghost btn--sm" aria-label="Dismiss notification" onClick={() => dismiss(toast.id)}>
        <span aria-hidden="true">×</span>
      </button>
    </div>
  );
}

export function Toaster() {
  const toasts = useToasts();
  return (
    <section className="toaster" aria-label="Notifications">
      {toasts.map((toast) => (
        <ToastItem key={toast.id} toast={toast} />
      ))}
    </section>
  );
}
