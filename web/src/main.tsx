// Entry point: one query client, the browser router, the 401 handling, then render.

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AppProvider, installSessionExpiry } from '@/app/provider';
import { createAppRouter } from '@/app/router';
import { createQueryClient } from '@/lib/query-client';
import './styles.css';

const queryClient = createQueryClient();
installSessionExpiry(queryClient);
const router = createAppRouter();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppProvider queryClient={queryClient} router={router} />
  </StrictMode>,
);
