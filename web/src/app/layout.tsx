// The signed-in shell: skip link, header with navigation and the user's menu, and the page.

import { NavLink, Outlet, useNavigate } from 'react-router';
import { Button } from '@/components/ui/button';
import { useSession } from '@/features/auth/api/get-me';
import { useLogout } from '@/features/auth/api/logout';
import { notify } from '@/lib/notifications';

const NAV = [
  { to: '/integrations', label: 'Integrations' },
  { to: '/executions', label: 'Call history' },
  { to: '/tokens', label: 'API tokens' },
];

export function AppLayout() {
  const session = useSession();
  const navigate = useNavigate();
  const logout = useLogout({
    onDone: () => {
      notify({ kind: 'info', title: 'Signed out' });
      navigate('/sign-in', { replace: true });
    },
  });
  const user = session.data?.user;
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <NavLink to="/integrations" className="brand">
          <span className="brand__mark" aria-hidden="true">
            ◆
          </span>
          Global Connector
        </NavLink>
        <nav aria-label="Main" className="topnav">
          {NAV.map((item) => (
            <NavLink key={item.to} to={item.to} className={({ isActive }) => `topnav__link${isActive ? ' topnav__link--active' : ''}`}>
              {item.label}
            </NavLink>
          ))}
        </nav>
        <div className="usermenu">
          {user && (
            <span className="usermenu__who" title={user.email}>
              {user.name || user.email}
            </span>
          )}
          <Button size="sm" variant="ghost" busy={logout.isPending} onClick={() => logout.mutate()}>
            Sign out
          </Button>
        </div>
      </header>
      <main id="main" className="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
