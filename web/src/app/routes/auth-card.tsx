// The centred card that frames the setup and sign-in pages.

import type { ReactNode } from 'react';

export function AuthCard({ title, subtitle, children }: { title: string; subtitle: ReactNode; children: ReactNode }) {
  return (
    <main className="auth-page" id="main">
      <div className="auth-card">
        <p className="brand brand--large">
          <span className="brand__mark" aria-hidden="true">
            ◆
          </span>
          Global Connector
        </p>
        <h1 className="auth-card__title">{title}</h1>
        <p className="auth-card__subtitle">{subtitle}</p>
        {children}
      </div>
    </main>
  );
}
