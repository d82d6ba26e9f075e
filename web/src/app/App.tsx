import { QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { AuthProvider, useAuth } from '../auth/AuthProvider';
import { sessionStore } from '../auth/session-store';
import { SupportSocketProvider } from '../chat/socket';
import { Spinner } from '../ui/Spinner';
import { createQueryClient } from './query-client';
import { routes } from './routes';

/** Nothing cached for one account may show for the next one in this tab. */
function ClearCacheOnAccountChange({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  useEffect(() => {
    let account = sessionStore.get()?.me.userId ?? null;
    return sessionStore.subscribe((session) => {
      const next = session?.me.userId ?? null;
      if (next !== account) queryClient.clear();
      account = next;
    });
  }, [queryClient]);
  return children;
}

/** While the page-load refresh finds out whether this browser is signed in: a short loading state. */
function WhileSessionLoads({ children }: { children: ReactNode }) {
  const { status } = useAuth();
  if (status === 'loading') {
    return (
      <main className="flex h-full items-center justify-center">
        <Spinner label="Signing in" />
      </main>
    );
  }
  return children;
}

export function App() {
  const [queryClient] = useState(createQueryClient);
  const [router] = useState(() => createBrowserRouter(routes));
  return (
    <QueryClientProvider client={queryClient}>
      <ClearCacheOnAccountChange>
        <AuthProvider>
          <SupportSocketProvider>
            <WhileSessionLoads>
              <RouterProvider router={router} />
            </WhileSessionLoads>
          </SupportSocketProvider>
        </AuthProvider>
      </ClearCacheOnAccountChange>
    </QueryClientProvider>
  );
}
